@verified
Feature: Check user credentials and share them
  A brand asks whether a user holds the credentials it needs. Only if the user can answer is a
  request created: the brand gets a wallet link, the user consents there, and the brand reads
  the shared credentials (plaintext) with the sharedCredentialsUuid of the redirect, within
  5 minutes of its first read.
  ([verified-api-ref] § Check User Credentials, § Get Shared Credentials)

  Background:
    Given the verified API

  Scenario: The worked example of the reference page matches the test user
    When I send POST /hasMatchingCredentials
      """
      {"email": "richard@piedpiper.net", "credentialRequests": [
        {"type": "SsnCredential", "issuers": [], "mandatory": "yes"},
        {"type": "FullNameCredential", "issuers": [], "mandatory": "yes"},
        {"type": "PhoneCredential", "issuers": [], "mandatory": "if_available", "allowUserInput": true},
        {"type": "AddressCredential", "issuers": [], "children": [
          {"type": "CityCredential", "issuers": [], "mandatory": "if_available"},
          {"type": "StateCredential", "issuers": [], "mandatory": "yes"},
          {"type": "CountryCredential", "issuers": [], "mandatory": "yes"},
          {"type": "ZipCodeCredential", "issuers": []}
        ]}
      ]}
      """
    Then the response status is 201
    And "$.match" is true
    And "$.url" exists

  Scenario: An unknown user does not match and gets no url
    When I send POST /hasMatchingCredentials
      """
      {"email": "nobody-{run_id}@example.com", "credentialRequests": [{"type": "EmailCredential"}]}
      """
    Then the response status is 201
    And "$.match" is false
    And "$.url" does not exist

  Scenario: A user who lacks a mandatory credential does not match
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "partial-{user}@example.com", "credentials": [
        {"type": "FullNameCredential", "data": [
          {"type": "FirstNameCredential", "data": {"firstName": "Jared"}},
          {"type": "LastNameCredential", "data": {"lastName": "Dunn"}}
        ]}
      ]}
      """
    And I send POST /hasMatchingCredentials
      """
      {"email": "partial-{user}@example.com", "credentialRequests": [
        {"type": "FullNameCredential", "mandatory": "yes"},
        {"type": "SsnCredential", "mandatory": "yes"}
      ]}
      """
    Then "$.match" is false
    And "$.url" does not exist
    And the brand revokes what it issued to "partial-{user}@example.com"

  Scenario Outline: What is not mandatory does not block a match
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "optional-{user}@example.com", "credentials": [
        {"type": "FullNameCredential", "data": [
          {"type": "FirstNameCredential", "data": {"firstName": "Jared"}},
          {"type": "LastNameCredential", "data": {"lastName": "Dunn"}}
        ]}
      ]}
      """
    And I send POST /hasMatchingCredentials
      """
      {"email": "optional-{user}@example.com", "credentialRequests": [
        {"type": "FullNameCredential", "mandatory": "yes"},
        {"type": "SsnCredential"<mandatory>}
      ]}
      """
    Then "$.match" is true
    And the brand revokes what it issued to "optional-{user}@example.com"

    Examples:
      | mandatory                   |
      |                             |
      | , "mandatory": "no"         |
      | , "mandatory": "if_available" |

  Scenario: Nothing at all that was asked for: no match, even when nothing is mandatory
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "GovernmentIdCredential", "mandatory": "if_available"}]}
      """
    Then "$.match" is false

  Scenario: A mandatory child the user does not hold blocks the match
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "nozip-{user}@example.com", "credentials": [
        {"type": "AddressCredential", "data": [
          {"type": "Line1Credential", "data": {"line1": "1 Main St"}},
          {"type": "CityCredential", "data": {"city": "Palo Alto"}},
          {"type": "StateCredential", "data": {"state": "CA"}},
          {"type": "ZipCodeCredential", "data": {"zipCode": "94301"}},
          {"type": "CountryCredential", "data": {"country": "US"}}
        ]}
      ]}
      """
    And I send POST /hasMatchingCredentials
      """
      {"email": "nozip-{user}@example.com", "credentialRequests": [
        {"type": "AddressCredential", "children": [{"type": "CityCredential"}, {"type": "Line2Credential", "mandatory": "yes"}]}
      ]}
      """
    Then "$.match" is false
    When I send POST /hasMatchingCredentials
      """
      {"email": "nozip-{user}@example.com", "credentialRequests": [
        {"type": "AddressCredential", "children": [{"type": "CityCredential"}, {"type": "Line2Credential", "mandatory": "if_available"}]}
      ]}
      """
    Then "$.match" is true
    And the brand revokes what it issued to "nozip-{user}@example.com"

  Scenario: The issuers filter: a credential only counts from an accepted issuer
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes", "issuers": ["00000000-0000-4000-8000-000000000000"]}]}
      """
    Then "$.match" is false
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes", "issuers": []}]}
      """
    Then "$.match" is true

  @mock-only
  Scenario: The issuers filter accepts any of the listed issuers (the seeded issuer is ACME Lending)
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes",
        "issuers": ["00000000-0000-4000-8000-000000000000", "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a"]}]}
      """
    Then "$.match" is true

  Scenario: Email or phone is required (OCE003)
    When I send POST /hasMatchingCredentials
      """
      {"credentialRequests": [{"type": "SsnCredential"}]}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE003"

  Scenario: Credential requests are required without a partner (OCE005)
    When I send POST /hasMatchingCredentials
      """
      {"email": "richard@piedpiper.net"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE005"

  @mock-only
  Scenario: The user shares: the brand reads plaintext Credential objects with only the children it asked for
    When I send POST /hasMatchingCredentials
      """
      {"email": "richard@piedpiper.net", "credentialRequests": [
        {"type": "SsnCredential", "mandatory": "yes"},
        {"type": "AddressCredential", "children": [
          {"type": "CityCredential", "mandatory": "if_available"},
          {"type": "StateCredential", "mandatory": "yes"}
        ]}
      ]}
      """
    And the user opens the wallet link "$.url" with redirectUrl "https://hooli.example/shared"
    Then "$.status" is "awaiting_code"
    When the user enters the verification code "111111"
    And the user shares the credentials
    Then the user is sent back to "https://hooli.example/shared" with a sharedCredentialsUuid
    When I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 200
    And "$.uuid" is "{shared_credentials_uuid}"
    And "$.email" is "richard@piedpiper.net"
    And "$.phone" does not exist
    And "$.credentials" has 2 items
    And "$.credentials[0].type" is "SsnCredential"
    And "$.credentials[0].id" is "e7f8a9b0-c1d2-4e3f-8a4b-5c6d7e8f9a05"
    And "$.credentials[0].issuer" is "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a"
    And "$.credentials[0].issuanceDate" is "1704110400000"
    And "$.credentials[0].data.ssn" matches "^\d{9}$"
    And "$.credentials[1].type" is "AddressCredential"
    And "$.credentials[1].expirationDate" is "1871839024044"
    And "$.credentials[1].data" has 2 items
    And "$.credentials[1].data[0].type" is "CityCredential"
    And "$.credentials[1].data[0].data.city" is "Palo Alto"
    And "$.credentials[1].data[1].data.state" is "CA"

  @mock-only
  Scenario: The brand's access to shared credentials ends 5 minutes after its first read
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "EmailCredential", "multi": true}]}
      """
    And the user opens the wallet link "$.url" with redirectUrl "https://hooli.example/shared"
    And the user enters the verification code "111111"
    And the user shares the credentials
    And the user is sent back to "https://hooli.example/shared" with a sharedCredentialsUuid
    And I send GET /sharedCredentials/{shared_credentials_uuid}
    Then "$.credentials" has 2 items
    And "$.phone" is "+10123456789"
    When the mock clock advances 299 seconds
    And I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 200
    When the mock clock advances 2 seconds
    And I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 410
    And "$.data.errorCode" is "OCE014"

  @mock-only
  Scenario: The user opts out of the request (OCE021)
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential"}]}
      """
    And the user opens the wallet link "$.url" with redirectUrl "https://hooli.example/shared"
    And the user enters the verification code "111111"
    And the user opts out
    Then the user is sent back to "https://hooli.example/shared" with a sharedCredentialsUuid
    When I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 400
    And "$.data.errorCode" is "OCE021"
    And "$.message" is "User opted out"

  @mock-only
  Scenario: A request the user leaves for 5 minutes expires
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential"}]}
      """
    And the user opens the wallet link "$.url"
    And the mock clock advances 301 seconds
    And the user enters the verification code "111111"
    Then the response status is 410
    And "$.data.errorCode" is "OCE014"

  Scenario: An unknown sharedCredentialsUuid is not found
    When I send GET /sharedCredentials/{uuid}
    Then the response status is 404
    And "$.name" is "NotFound"
