@verified
Feature: Partner credential requests
  A partner pre-defines the credentials it asks for. A brand can read them, check a user
  against them instead of sending its own requests, and, when it issues credentials with the
  partner's uuid, get a wallet link for the user to share with the partner.
  ([verified-api-ref] § Get Partner Credential Requests, § Check User Credentials,
  § Issue Credentials)

  The mock seeds two partners: ACME Lending (a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a: full name,
  SSN and birth date, all mandatory) and the second brand (2b9d4e61-0c7a-4f3b-8e25-5a6c1d9f7b34:
  first and last name mandatory, email if available). A sandbox has partners of its own, so
  the scenarios that name these are @mock-only.

  Background:
    Given the verified API

  @mock-only
  Scenario: A partner's pre-defined requests can be read
    When I send GET /credentialRequests/a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a
    Then the response status is 200
    And "$.credentialRequests" has 3 items
    And "$.credentialRequests[1].type" is "SsnCredential"
    And "$.credentialRequests[1].mandatory" is "yes"

  Scenario: An unknown partner is not found
    When I send GET /credentialRequests/{uuid}
    Then the response status is 404
    And "$.name" is "NotFound"

  @mock-only
  Scenario: With a partnerUuid the partner's requests are used, not the brand's
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456790", "partnerUuid": "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a",
       "credentialRequests": [{"type": "EmailCredential"}]}
      """
    # Jared has no SSN, which ACME Lending requires.
    Then "$.match" is false
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "partnerUuid": "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a"}
      """
    Then "$.match" is true
    And "$.url" exists

  Scenario: Checking against an unknown partner is not found
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "partnerUuid": "{uuid}"}
      """
    Then the response status is 404

  @mock-only @second-tenant
  Scenario: Issuing with a partner's uuid gives a link to share with the partner, who reads it
    When I send POST /credentials
      """
      {"email": "partnered-{run_id}@example.com", "partnerUuid": "2b9d4e61-0c7a-4f3b-8e25-5a6c1d9f7b34", "credentials": [
        {"type": "FullNameCredential", "data": [
          {"type": "FirstNameCredential", "data": {"firstName": "Monica"}},
          {"type": "LastNameCredential", "data": {"lastName": "Hall"}}
        ]}
      ]}
      """
    Then the response status is 201
    And "$.url" exists
    When the user opens the wallet link "$.url"
    Then "$.brand" is "Second Brand"
    When the user enters the verification code "111111"
    And the user shares the credentials
    Then the user is sent back to "https://second-brand.example/verified/callback" with a sharedCredentialsUuid
    # The issuer cannot read what was shared with the partner; the partner can.
    When I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 404
    Given I use the second tenant's credentials
    When I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 200
    And "$.credentials[0].data[0].data.firstName" is "Monica"

  @mock-only
  Scenario: Issuing with a partner's uuid gives no link when the partner's requests cannot be met
    When I send POST /credentials
      """
      {"email": "unmet-{run_id}@example.com", "partnerUuid": "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a", "credentials": [
        {"type": "EmailCredential", "data": {"email": "unmet-{run_id}@example.com"}}
      ]}
      """
    Then the response status is 201
    And "$.url" does not exist

  Scenario: Issuing with an unknown partner's uuid is not found, and issues nothing
    When I send POST /credentials
      """
      {"email": "nopartner-{run_id}@example.com", "partnerUuid": "{uuid}", "credentials": [
        {"type": "EmailCredential", "data": {"email": "nopartner-{run_id}@example.com"}}
      ]}
      """
    Then the response status is 404
    When I send GET /userCredentials/nopartner-{run_id}@example.com
    Then the response status is 404
    And "$.data.errorCode" is "OCE004"
