@verified @v2 @semi-hosted
Feature: 1-Click v2, Semi-Hosted
  A Semi-Hosted brand keeps the user on its own pages but lets Verified check the code: POST
  answers `{uuid, code}`, the brand texts the code, and GET `/1-click/{one_click_uuid}?code=` with what
  the user typed answers the flat 1ClickEntity. No code is OCE009, a wrong or 5-minute-old one
  OCE008. When the phone alone does not identify the user, GET answers OCE011 and the brand
  PATCHes the birth date within 30 minutes of POST (a wrong one is OCE012).
  (VerifiedInc.github.io versioned_docs/version-2: integration-guide.mdx § Semi-Hosted,
  api-reference/endpoints.mdx, api-reference/errors.mdx; contracts/research/verified-v2.md § 4.2)

  Background:
    Given the verified API
    And I use the "semi-hosted" tenant's credentials

  Scenario: POST answers the uuid and the code to text, no url and no identity
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    Then the response status is 201
    And "$.uuid" matches "^[0-9a-f-]{36}$"
    And "$.code" matches "^[0-9]{6}$"
    And "$.url" does not exist
    And "$.identity" does not exist

  Scenario: The code the user typed gets the flat 1ClickEntity
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I remember "$.code" as code
    And I send GET /v2/1-click/{one_click_uuid}?code={code}
    Then the response status is 200
    And "$.identity" does not exist
    And "$.identifiers.phone" is "+10123456789"
    And "$.metadata.identifiers.verificationMethod.phone" is "otp"
    And "$.credentials.fullName.firstName" is "Richard"
    And "$.credentials.ssn" is "123456789"
    # The not-hosted default credential requests ask for one address: an object.
    And "$.credentials.address.zipCode" is "94303"

  Scenario: A wrong code is OCE008, no code is OCE009, and neither gives data
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I send GET /v2/1-click/{one_click_uuid}?code=abcdef
    Then the response status is 400
    And "$.data.errorCode" is "OCE008"
    And "$.credentials" does not exist
    And "$.uuid" does not exist
    When I send GET /v2/1-click/{one_click_uuid}
    Then the response status is 400
    And "$.data.errorCode" is "OCE009"

  Scenario: The user needs a birth date: GET asks for it, PATCH gives it
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I remember "$.code" as code
    And I send GET /v2/1-click/{one_click_uuid}?code={code}
    Then the response status is 400
    And "$.data.errorCode" is "OCE011"
    And "$.data.additionalInputs" is ["birthDate"]
    When I send PATCH /v2/1-click/{one_click_uuid}
      """
      {"birthDate": "1990-01-01"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE012"
    When I send PATCH /v2/1-click/{one_click_uuid}
      """
      {"birthDate": "1989-08-01"}
      """
    Then the response status is 200
    And "$.credentials.fullName.firstName" is "Gavin"
    And "$.credentials.birthDate" is "617976000000"

  Scenario: A birth date given with POST skips the step
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997", "birthDate": "1989-08-01"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I remember "$.code" as code
    And I send GET /v2/1-click/{one_click_uuid}?code={code}
    Then the response status is 200
    And "$.credentials.fullName.lastName" is "Belson"

  Scenario: PATCH before the code was proven is OCE009
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I send PATCH /v2/1-click/{one_click_uuid}
      """
      {"birthDate": "1989-08-01"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE009"

  @mock-only
  Scenario: The code expires after 5 minutes
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I remember "$.code" as code
    And the mock clock advances 301 seconds
    And I send GET /v2/1-click/{one_click_uuid}?code={code}
    Then the response status is 400
    And "$.data.errorCode" is "OCE008"

  @mock-only
  Scenario: PATCH more than 30 minutes after POST is OCE014
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I remember "$.code" as code
    And I send GET /v2/1-click/{one_click_uuid}?code={code}
    Then "$.data.errorCode" is "OCE011"
    When the mock clock advances 1801 seconds
    And I send PATCH /v2/1-click/{one_click_uuid}
      """
      {"birthDate": "1989-08-01"}
      """
    Then the response status is 410
    And "$.data.errorCode" is "OCE014"

  Scenario: A fourth wrong code is refused even when right (OCE018)
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I remember "$.code" as code
    And I send GET /v2/1-click/{one_click_uuid}?code=wrong1
    And I send GET /v2/1-click/{one_click_uuid}?code=wrong2
    And I send GET /v2/1-click/{one_click_uuid}?code=wrong3
    And I send GET /v2/1-click/{one_click_uuid}?code={code}
    Then the response status is 429
    And "$.data.errorCode" is "OCE018"
