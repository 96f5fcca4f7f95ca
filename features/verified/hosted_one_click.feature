@verified @v1
Feature: Hosted 1-Click Signup
  A brand starts a 1-Click Signup with the user's phone and gets a Verified Web Wallet link
  back. The user opens it, proves the phone with the code Verified texts them, reviews their
  data and shares it (or opts out). The wallet then sends them back to the brand with a
  1ClickUuid, and the brand fetches the data with it, once, within 5 minutes.
  ([verified-api-ref] § 1-Click, § Get 1-Click Credentials; [verified-types]
  § 1ClickEntity)

  Background:
    Given the verified API

  Scenario: A known phone gets a wallet link and the SMS to send
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    Then the response status is 201
    And "$.match" is true
    And "$.url" exists
    And "$.smsBody" exists

  Scenario: An unknown phone gets no 1-Click and no link
    When I send POST /1-click
      """
      {"phone": "+10000000001"}
      """
    Then the response status is 201
    And "$.match" is false
    And "$.url" does not exist

  @mock-only
  Scenario: The user shares the default credentials and the brand reads them once
    When I send POST /1-click
      """
      {"phone": "+10123456789", "redirectUrl": "https://hooli.example/welcome"}
      """
    And the user opens the wallet link "$.url"
    Then the response status is 200
    And "$.brand" is "Hooli"
    And "$.title" is "Signup"
    And "$.description" is "Make sure everything is correct:"
    And "$.verificationOptions" is "only_code"
    And "$.status" is "awaiting_code"
    When the user enters the verification code "111111"
    Then the response status is 200
    And "$.status" is "awaiting_consent"
    And "$.credentials.fullName.firstName" is "Richard"
    When the user shares the credentials
    Then the user is sent back to "https://hooli.example/welcome" with a 1ClickUuid
    When I send GET /1-click/{one_click_uuid}
    Then the response status is 200
    And "$.identifiers.phone" is "+10123456789"
    And "$.metadata.identifiers.verificationMethod.phone" is "otp"
    # The six default credential requests: composites with children are objects, the rest
    # strings (multi is false by default: one value each).
    And "$.credentials.fullName" is {"firstName": "Richard", "lastName": "Hendricks"}
    And "$.credentials.email" is "richard@piedpiper.net"
    And "$.credentials.phone" is "+10123456789"
    And "$.credentials.address" is {"line1": "5320 Newell Rd", "city": "Palo Alto", "state": "CA", "country": "US", "zipCode": "94303"}
    And "$.credentials.birthDate" is "617976000000"
    And "$.credentials.ssn" matches "^\d{9}$"
    # Metadata mirrors the shape of each value, keyed metadataKey first.
    And "$.metadata.credentials.id.email" is "8a1d4e35-413d-496b-b499-8810b55cfb5c"
    And "$.metadata.credentials.id.fullName.firstName" is "2e6a7b9a-e93e-43ba-98a9-c554f4e16457"
    And "$.metadata.credentials.verificationMethod.email" is "self_attested"
    And "$.metadata.credentials.verificationMethod.address.city" is "credit_bureau"
    And "$.metadata.credentials.status.ssn" is "valid"
    And "$.metadata.credentials.issuerUuid.ssn" is "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a"
    And "$.metadata.credentials.issuanceDate.ssn" matches "^\d+$"
    And "$.metadata.credentials.expirationDate.email" is "1871839024044"
    And "$.metadata.credentials.expirationDate.ssn" is null

  @mock-only
  Scenario: Without a redirectUrl the user goes back to the brand's settings' url, unless the link says otherwise
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials
    Then the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    When I send POST /1-click
      """
      {"phone": "+10123456789", "redirectUrl": "https://hooli.example/from-the-request"}
      """
    And the user opens the wallet link "$.url" with redirectUrl "https://hooli.example/from-the-link"
    And the user enters the verification code "111111"
    And the user shares the credentials
    Then the user is sent back to "https://hooli.example/from-the-link" with a 1ClickUuid

  @mock-only
  Scenario: The request page shows the brand's title and description
    When I send POST /1-click
      """
      {"phone": "+10123456789", "content": {"title": "Apply", "description": "Check your details"}, "verificationOptions": "both_link_and_code"}
      """
    And the user opens the wallet link "$.url"
    Then "$.title" is "Apply"
    And "$.description" is "Check your details"
    And "$.verificationOptions" is "both_link_and_code"
    And "$.phone" is "+1*******789"

  @mock-only
  Scenario: With only_link the link itself proves the phone
    When I send POST /1-click
      """
      {"phone": "+10123456789", "verificationOptions": "only_link"}
      """
    Then "$.smsBody" matches "https?://"
    When the user opens the wallet link "$.url"
    Then "$.status" is "awaiting_consent"
    When the user shares the credentials
    Then the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid

  @mock-only
  Scenario: The brand's own credential requests shape the answer: children, multi and subsets
    When I send POST /1-click
      """
      {"phone": "+10123456789", "credentialRequests": [
        {"type": "EmailCredential", "multi": true},
        {"type": "SsnCredential", "multi": true},
        {"type": "AddressCredential", "multi": true, "children": [{"type": "CityCredential"}, {"type": "StateCredential"}]},
        {"type": "FullNameCredential"}
      ]}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials
    And the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    And I send GET /1-click/{one_click_uuid}
    Then "$.credentials.email" is ["richard@piedpiper.net", "richard@hooli.com"]
    And "$.metadata.credentials.verificationMethod.email" is ["self_attested", "credit_bureau"]
    # An array even for a single value ("Arrays May Be Single Valued").
    And "$.credentials.ssn" has 1 item
    And "$.credentials.address" is [{"city": "Palo Alto", "state": "CA"}, {"city": "San Francisco", "state": "CA"}, {"city": "San Jose", "state": "CA"}]
    And "$.metadata.credentials.id.address[1].city" is "c315d4ed-34c6-41a9-b7ca-c17cb4bac927"
    # A composite asked for without children: all its parts.
    And "$.credentials.fullName" is {"firstName": "Richard", "lastName": "Hendricks"}
    And "$.credentials.birthDate" does not exist

  @mock-only
  Scenario: The user corrects their data before sharing
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials with these changes:
      """
      {"fullName": {"middleName": "Dick"}, "email": "richard@example.com"}
      """
    And the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    And I send GET /1-click/{one_click_uuid}
    Then "$.credentials.fullName" is {"firstName": "Richard", "lastName": "Hendricks", "middleName": "Dick"}
    And "$.credentials.email" is "richard@example.com"
    And "$.metadata.credentials.verificationMethod.email" is "self_attested"
    And "$.metadata.credentials.verificationMethod.fullName.middleName" is "self_attested"
    And "$.metadata.credentials.verificationMethod.fullName.firstName" is "phone_carrier"
    And "$.metadata.credentials.issuerUuid.email" is "0e3b6f8a-1c2d-4b5e-9f70-8a9b0c1d2e3f"

  @mock-only
  Scenario: The user cannot type over a credential the brand locked
    When I send POST /1-click
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential", "allowUserInput": false}]}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials with these changes:
      """
      {"ssn": "111111110"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "ERR001"
    And "$.message" is "SsnCredential does not take user input"

  @mock-only
  Scenario: Typed data must have the credential's format
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials with these changes:
      """
      {"address": {"zipCode": "ABCDE"}}
      """
    Then the response status is 400
    And "$.message" is "ZipCodeCredential data must be a US ZIP code"

  @mock-only
  Scenario Outline: What the user may leave out depends on mandatory
    When I send POST /1-click
      """
      {"phone": "+10123456789", "credentialRequests": [
        {"type": "FullNameCredential", "mandatory": "yes"},
        {"type": "SsnCredential", "mandatory": "<ssn>"}
      ]}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials leaving out "ssn"
    Then the response status is <status>

    Examples:
      | ssn          | status |
      | no           | 302    |
      | yes          | 400    |
      | if_available | 400    |

  @mock-only
  Scenario: Leaving out a mandatory credential is OCE007
    When I send POST /1-click
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials leaving out "ssn"
    Then the response status is 400
    And "$.data.errorCode" is "OCE007"
    And "$.message" is "Mandatory credentials are missing: SsnCredential"

  @mock-only
  Scenario: A user without a mandatory credential can type it in
    When I send POST /1-click
      """
      {"phone": "+10123456790", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    Then "$.credentials" is {}
    When the user shares the credentials
    Then the response status is 400
    And "$.data.errorCode" is "OCE007"
    When the user shares the credentials with these changes:
      """
      {"ssn": "987654321"}
      """
    Then the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    When I send GET /1-click/{one_click_uuid}
    Then "$.metadata.credentials.verificationMethod.ssn" is "self_attested"

  @mock-only
  Scenario: The user opts out: the brand learns the phone was verified, and nothing else
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user opts out
    Then the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    When I send GET /1-click/{one_click_uuid}
    Then the response status is 200
    And "$.identifiers.phone" is "+10123456789"
    And "$.metadata.identifiers.verificationMethod.phone" is "otp"
    And "$.credentials" does not exist
    And "$.metadata.credentials" does not exist
    When the user shares the credentials
    Then the response status is 400
    And "$.data.errorCode" is "OCE021"

  @mock-only
  Scenario: A user who opts out before verifying leaves the phone unverified
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user opts out
    And the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    And I send GET /1-click/{one_click_uuid}
    Then "$.metadata.identifiers.verificationMethod.phone" is null

  @mock-only
  Scenario: Sharing needs the verification code first
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user shares the credentials
    Then the response status is 400
    And "$.data.errorCode" is "OCE009"

  @mock-only
  Scenario: A wrong code, then the right one
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "222222"
    Then the response status is 400
    And "$.data.errorCode" is "OCE008"
    And "$.message" is "Verification code invalid or expired"
    When the user enters the verification code "111111"
    Then the response status is 200
    And "$.status" is "awaiting_consent"

  @mock-only
  Scenario: After three wrong codes the wallet stops trying
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "222222"
    And the user enters the verification code "333333"
    And the user enters the verification code "444444"
    Then "$.data.errorCode" is "OCE008"
    When the user enters the verification code "111111"
    Then the response status is 429
    And "$.data.errorCode" is "OCE018"
    And "$.name" is "TooManyRequests"

  @mock-only
  Scenario: A request the user leaves for 5 minutes expires
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the mock clock advances 240 seconds
    And the user enters the verification code "111111"
    Then the response status is 200
    When the mock clock advances 61 seconds
    And the user shares the credentials
    Then the response status is 410
    And "$.data.errorCode" is "OCE014"
    And "$.message" is "1-Click request expired"

  @mock-only
  Scenario: The brand's access ends 5 minutes after it first reads the data
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the mock clock advances 280 seconds
    And the user shares the credentials
    And the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    # Sharing late is fine: the window starts at the first retrieval.
    And the mock clock advances 600 seconds
    And I send GET /1-click/{one_click_uuid}
    Then the response status is 200
    When the mock clock advances 240 seconds
    And I send GET /1-click/{one_click_uuid}
    Then the response status is 200
    When the mock clock advances 61 seconds
    And I send GET /1-click/{one_click_uuid}
    Then the response status is 410
    And "$.data.errorCode" is "OCE014"
    And "$.name" is "Gone"

  Scenario: An unknown 1-Click uuid is OCE015
    When I send GET /1-click/{uuid}
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"
