@verified @v2 @hosted
Feature: 1-Click v2, Hosted
  A Hosted brand (the Dashboard default) starts a 1-Click with the user's phone and gets
  `{uuid, url, code}`: it texts the code to the user itself and sends them to the Verified
  wallet at `url`. There the user types the code and shares (or opts out); the wallet sends
  them back with `identityUuid`, the same value as `uuid`, and the brand reads the flat
  1ClickEntity with it. No `match`, no `smsBody`, no `isHosted` in v2.
  (VerifiedInc.github.io versioned_docs/version-2: 1-click-signup/integration-guide.mdx § Hosted,
  api-reference/endpoints.mdx; contracts/research/verified-v2.md § 3, § 4.1, § 5)

  Background:
    Given the verified API
    And I use the "hosted" tenant's credentials

  Scenario: POST answers the wallet url and the code to text, nothing else
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789", "content": {"title": "Signup", "description": "Signup to Slooow"}}
      """
    Then the response status is 201
    And "$.uuid" matches "^[0-9a-f-]{36}$"
    And "$.url" exists
    And "$.code" matches "^[0-9]{6}$"
    And "$.identity" does not exist
    And "$.match" does not exist
    And "$.smsBody" does not exist

  Scenario: isHosted is ignored in v2: the brand's type decides
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789", "isHosted": false}
      """
    Then the response status is 201
    And "$.url" exists
    And "$.identity" does not exist

  Scenario: Before the user answers, the uuid finds no 1ClickEntity
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I send GET /v2/1-click/{one_click_uuid}
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"

  @mock-only
  Scenario: The user types the texted code, shares, and comes back with identityUuid
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789", "redirectUrl": "https://hooli.example/welcome"}
      """
    And I remember "$.code" as code
    And the user opens the wallet link "$.url"
    Then "$.title" is "Signup"
    When the user enters the verification code "{code}"
    Then the response status is 200
    And "$.status" is "awaiting_consent"
    When the user shares the credentials
    Then the user is sent back to "https://hooli.example/welcome" with an identityUuid
    When I send GET /v2/1-click/{identity_uuid}
    Then the response status is 200
    And "$.uuid" does not exist
    And "$.identity" does not exist
    And "$.identifiers.phone" is "+10123456789"
    And "$.metadata.identifiers.verificationMethod.phone" is "otp"
    And "$.credentials.fullName.firstName" is "Richard"
    And "$.credentials.birthDate" is "617976000000"
    # The Hosted default credential requests ask for every address (multi).
    And "$.credentials.address" has 3 items
    And "$.credentials.address[0].zipCode" is "94303"

  @mock-only
  Scenario: The uuid POST answered reads the answer too (it is the identityUuid)
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.code" as code
    And I remember "$.uuid" as one_click_uuid
    And the user opens the wallet link "$.url"
    And the user enters the verification code "{code}"
    And the user shares the credentials
    Then the user is sent back to "https://hooli.example/verified/callback" with an identityUuid
    When I send GET /v2/1-click/{one_click_uuid}
    Then the response status is 200
    And "$.identifiers.phone" is "+10123456789"

  @mock-only
  Scenario: The static test OTP is not this 1-Click's code
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "not-the-code"
    Then the response status is 400
    And "$.data.errorCode" is "OCE008"

  @mock-only
  Scenario: The code is good for 5 minutes in the wallet too
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.code" as code
    And the user opens the wallet link "$.url"
    And the mock clock advances 301 seconds
    And the user enters the verification code "{code}"
    Then the response status is 400
    And "$.data.errorCode" is "OCE008"

  @mock-only
  Scenario: The user opts out: the redirect says so and GET answers OCE021
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789", "redirectUrl": "https://hooli.example/welcome"}
      """
    And I remember "$.code" as code
    And the user opens the wallet link "$.url"
    And the user enters the verification code "{code}"
    And the user opts out
    Then the user is sent back to "https://hooli.example/welcome" with an identityUuid
    When I send GET /v2/1-click/{identity_uuid}
    Then the response status is 400
    And "$.data.errorCode" is "OCE021"
    And "$.credentials" does not exist

  @mock-only
  Scenario: A user the phone does not identify gives a birth date in the wallet
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997", "redirectUrl": "https://hooli.example/welcome"}
      """
    Then "$.url" exists
    When I remember "$.code" as code
    And the user opens the wallet link "$.url"
    And the user enters the verification code "{code}"
    And the user shares the credentials
    Then the response status is 400
    And "$.data.errorCode" is "OCE011"
    And "$.data.additionalInputs" is ["birthDate"]
    When the user shares the credentials giving the birth date "1990-01-01"
    Then "$.data.errorCode" is "OCE012"
    When the user shares the credentials giving the birth date "1989-08-01"
    Then the user is sent back to "https://hooli.example/welcome" with an identityUuid
    When I send GET /v2/1-click/{identity_uuid}
    Then "$.credentials.fullName.firstName" is "Gavin"
