@verified
Feature: Answers shaped like Verified's own published payloads
  What Verified actually sends, as its recorded responses and current docs show it
  (tests/vendor-evidence/verified/, contracts/NOTES.md § Vendor evidence > Verified): every
  credential names its issuing brand as `issuerUuid` and carries `status`, `verificationMethod`
  and its times as digit strings of milliseconds, with `"expirationDate": null` when it does
  not expire; shared credentials keep the page's `issuer` beside it; a 1ClickEntity's birth
  date is milliseconds (the default format of § User Data Format); the SMS body the brand sends
  carries the code or link the user needs; and the title `Access` that Verified's demo offers is
  accepted.

  Background:
    Given the verified API

  Scenario: An issued composite and its children carry issuerUuid and a null expirationDate
    When I send POST /credentials
      """
      {"email": "recorded-{run_id}@example.com", "credentials": [
        {"type": "FullNameCredential", "data": [
          {"type": "FirstNameCredential", "data": {"firstName": "Jacob"}},
          {"type": "LastNameCredential", "data": {"lastName": "Singer"}}
        ]},
        {"type": "SsnCredential", "data": {"ssn": "123456780"}, "expirationDate": null}
      ]}
      """
    Then the response status is 201
    And "$.credentials[0].expirationDate" is null
    And "$.credentials[0].issuerUuid" matches "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    And "$.credentials[0].issuanceDate" matches "^\d+$"
    And "$.credentials[0].status" is "valid"
    And "$.credentials[0].verificationMethod" is null
    And "$.credentials[0].data[0].type" is "FirstNameCredential"
    And "$.credentials[0].data[0].expirationDate" is null
    And "$.credentials[0].data[0].issuerUuid" matches "^[0-9a-f-]{36}$"
    And "$.credentials[0].data[1].data.lastName" is "Singer"
    And "$.credentials[1].expirationDate" is null
    When I remember "$.credentials[0].id" as full_name
    And I remember "$.credentials[0].issuerUuid" as issuer
    And I send GET /credentials/{full_name}
    Then the response status is 200
    And "$.issuerUuid" is "{issuer}"
    And "$.expirationDate" is null
    And "$.createdAt" matches "^\d+$"
    And "$.updatedAt" matches "^\d+$"
    And "$.data[0].issuerUuid" is "{issuer}"

  @mock-only
  Scenario: The issuing brand is Hooli; a patched credential keeps its createdAt
    When I send POST /credentials
      """
      {"email": "patched-{run_id}@example.com", "credentials": [{"type": "EmailCredential", "data": {"email": "patched-{run_id}@example.com"}}]}
      """
    Then "$.credentials[0].issuerUuid" is "7c0f2f5e-6a43-4c5e-9a61-3f1d0b7e2a10"
    And "$.credentials[0].createdAt" does not exist
    When I remember "$.credentials[0].id" as email
    And I remember "$.credentials[0].issuanceDate" as issued
    And the mock clock advances 60 seconds
    And I send PATCH /credentials/{email}
      """
      {"expirationDate": 4102444800000}
      """
    Then the response status is 200
    And "$.expirationDate" is "4102444800000"
    And "$.createdAt" is "{issued}"
    And "$.updatedAt" matches "^\d+$"

  @mock-only
  Scenario: Shared credentials carry the page's issuer and the recorded members beside it
    When I send POST /hasMatchingCredentials
      """
      {"email": "richard@piedpiper.net", "credentialRequests": [
        {"type": "SsnCredential", "mandatory": "yes"},
        {"type": "EmailCredential", "mandatory": "yes"}
      ]}
      """
    And the user opens the wallet link "$.url" with redirectUrl "https://hooli.example/shared"
    And the user enters the verification code "111111"
    And the user shares the credentials
    Then the user is sent back to "https://hooli.example/shared" with a sharedCredentialsUuid
    When I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 200
    And "$.credentials[0].type" is "SsnCredential"
    And "$.credentials[0].issuer" is "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a"
    And "$.credentials[0].issuerUuid" is "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a"
    And "$.credentials[0].issuanceDate" is "1704110400000"
    And "$.credentials[0].expirationDate" is null
    And "$.credentials[0].status" is "valid"
    And "$.credentials[0].verificationMethod" exists
    And "$.credentials[0].createdAt" is "1704110400000"
    And "$.credentials[0].updatedAt" matches "^\d+$"
    And "$.credentials[1].type" is "EmailCredential"
    And "$.credentials[1].expirationDate" is "1871839024044"

  @v1
  Scenario: A non-hosted 1-Click answers the birth date in milliseconds, its default format
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false, "birthDate": "1989-08-01",
       "credentialRequests": [{"type": "BirthDateCredential"}, {"type": "SsnCredential"}]}
      """
    Then the response status is 201
    And "$.credentials.birthDate" matches "^-?\d+$"
    And "$.credentials.birthDate" is "617976000000"
    And "$.metadata.credentials.expirationDate.ssn" is null

  @v1
  Scenario: The birth date goes back in the format it came in
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false, "birthDate": "1989-08-01",
       "credentialRequests": [{"type": "BirthDateCredential"}]}
      """
    And I remember "$.uuid" as one_click
    And I send POST /1-click/{one_click}/credentials
      """
      {"credentials": {"birthDate": "618062400000"}}
      """
    Then the response status is 201
    And "$[0].data.birthDate" is "618062400000"
    When I send POST /1-click/{one_click}/credentials
      """
      {"credentials": {"birthDate": "618062400001"}}
      """
    Then the response status is 400

  @mock-only @v1
  Scenario Outline: The SMS body for <options> carries <what>
    When I send POST /1-click
      """
      {"phone": "+10123456789", "verificationOptions": "<options>"}
      """
    Then the response status is 201
    When I remember "$.url" as link
    Then "$.smsBody" is "<sms>"

    Examples:
      | options            | what              | sms                                                                 |
      | only_code          | the code          | Enter this code to verify for Hooli: 111111                         |
      | only_link          | the link          | Click this link to verify for Hooli: {link}                         |
      | both_link_and_code | the code and link | Enter this code to verify for Hooli: 111111, or click this link: {link} |

  @mock-only @v1
  Scenario: The code in the SMS body is the one the wallet takes
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    Then "$.smsBody" matches ": 111111$"
    When the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    Then "$.status" is "awaiting_consent"

  @v1
  Scenario: The title Access, which Verified's demo offers, is accepted
    When I send POST /1-click
      """
      {"phone": "+10123456789", "content": {"title": "Access"}}
      """
    Then the response status is 201
    And "$.match" is true

  @mock-only @v1
  Scenario: The wallet page shows the title Access
    When I send POST /1-click
      """
      {"phone": "+10123456789", "content": {"title": "Access"}}
      """
    And the user opens the wallet link "$.url"
    Then "$.title" is "Access"
