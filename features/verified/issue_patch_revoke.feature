@verified
Feature: Issue, patch, revoke and expire credentials
  A brand issues credentials to a user it knows by email or phone, reads them back, changes
  their data, expiration or status, and can revoke them. A credential that is revoked or
  expired is unusable: matching, sharing and 1-Click never return it.
  ([verified-api-ref] § Issue Credentials, § Composite Credentials, § Patch Credential,
  § Get Credential; SUPPLEMENT.md § Value formats)

  Background:
    Given the verified API

  Scenario: Issue an atomic and a composite credential, and read one back
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "issued-{user}@example.com", "trackingId": "t-{run_id}", "credentials": [
        {"type": "SsnCredential", "data": {"ssn": "123456780"}, "expirationDate": 4102444800000},
        {"type": "FullNameCredential", "data": [
          {"type": "FirstNameCredential", "data": {"firstName": "Bertram"}},
          {"type": "LastNameCredential", "data": {"lastName": "Gilfoyle"}}
        ]}
      ]}
      """
    Then the response status is 201
    And "$.email" is "issued-{user}@example.com"
    And "$.trackingId" is "t-{run_id}"
    And "$.credentials" has 2 items
    And "$.credentials[0].type" is "SsnCredential"
    And "$.credentials[0].status" is "valid"
    And "$.credentials[0].issuanceDate" matches "^\d+$"
    And "$.credentials[0].expirationDate" is "4102444800000"
    And "$.credentials[1].data[1].data.lastName" is "Gilfoyle"
    And "$.url" does not exist
    When I remember "$.credentials[1].id" as full_name
    And I send GET /credentials/{full_name}
    Then the response status is 200
    And "$.id" is "{full_name}"
    And "$.type" is "FullNameCredential"
    And "$.data[0].type" is "FirstNameCredential"
    And "$.data[0].data.firstName" is "Bertram"
    And the brand revokes what it issued to "issued-{user}@example.com"

  Scenario: Credentials as the vendor's schema package shapes them
    # VerifiedInc/schema-sdk@f58251b src/jsonSchemas/: members that are not the shortened type
    # (backwardsCredential/index.ts: GovernmentIdTypeCredential -> documentType), and a
    # composite as one data map of its children's members (compositeCredential/).
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "package-{user}@example.com", "credentials": [
        {"type": "GovernmentIdTypeCredential", "data": {"documentType": "Drivers License"}},
        {"type": "DocumentNumberCredential", "data": {"idNumber": "F4698E1"}},
        {"type": "CountryResidenceCredential", "data": {"country": "US"}},
        {"type": "FullNameCredential", "data": {"firstName": "Bertram", "lastName": "Gilfoyle"}}
      ]}
      """
    Then the response status is 201
    And "$.credentials[0].data.documentType" is "Drivers License"
    And "$.credentials[2].data.country" is "US"
    And "$.credentials[3].data.lastName" is "Gilfoyle"
    When I remember "$.credentials[3].id" as full_name
    And I send GET /credentials/{full_name}
    Then the response status is 200
    And "$.data.firstName" is "Bertram"
    And the brand revokes what it issued to "package-{user}@example.com"

  Scenario: A composite credential must carry its children
    When I send POST /credentials
      """
      {"email": "composite-{run_id}@example.com", "credentials": [
        {"type": "FullNameCredential", "data": [{"type": "FirstNameCredential", "data": {"firstName": "Bertram"}}]}
      ]}
      """
    Then the response status is 400
    And "$.data.errorCode" is "ERR001"

  Scenario: A composite credential carries only its own parts
    When I send POST /credentials
      """
      {"email": "composite-{run_id}@example.com", "credentials": [
        {"type": "AddressCredential", "data": [
          {"type": "Line1Credential", "data": {"line1": "1 Main St"}},
          {"type": "CityCredential", "data": {"city": "Palo Alto"}},
          {"type": "StateCredential", "data": {"state": "CA"}},
          {"type": "ZipCodeCredential", "data": {"zipCode": "94301"}},
          {"type": "CountryCredential", "data": {"country": "US"}},
          {"type": "SsnCredential", "data": {"ssn": "123456780"}}
        ]}
      ]}
      """
    Then the response status is 400

  Scenario Outline: Data is validated per credential type
    When I send POST /credentials
      """
      {"email": "formats-{run_id}@example.com", "credentials": [{"type": "<type>", "data": <data>}]}
      """
    Then the response status is 400
    And "$.name" is "BadRequest"
    And "$.data.errorCode" is "ERR001"

    Examples:
      | type                | data                              |
      | SsnCredential       | {"ssn": "123-45-6789"}            |
      | PhoneCredential     | {"phone": "0123456789"}           |
      | GovernmentIdTypeCredential | {"governmentIdType": "Passport"} |
      | DocumentNumberCredential   | {"documentNumber": "F4698E1"}    |
      | CountryResidenceCredential | {"countryResidence": "US"}       |
      | SexCredential       | {"sex": "x"}                      |
      | FullNameCredential  | {"firstName": "Bertram", "nickname": "Gil"} |
      | BirthDateCredential | {"birthDate": "1989-08-01"}       |
      | BirthDateCredential | {"birthDate": "617976000001"}     |
      | SexCredential       | {"gender": "x"}                   |
      | SsnCredential       | [{"type": "SsnCredential", "data": {"ssn": "123456780"}}] |

  Scenario: A birth date is stored as milliseconds at noon UTC
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "born-{user}@example.com", "credentials": [{"type": "BirthDateCredential", "data": {"birthDate": "617976000000"}}]}
      """
    Then the response status is 201
    And "$.credentials[0].data.birthDate" is "617976000000"
    And the brand revokes what it issued to "born-{user}@example.com"

  Scenario: Issuing to nobody is OCE003
    When I send POST /credentials
      """
      {"credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE003"

  Scenario: A repeated credential id is a 409 and no second credential
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "idempotent-{user}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    And I remember "$.credentials[0].id" as first
    And I send POST /credentials
      """
      {"email": "idempotent-{user}@example.com", "credentials": [
        {"type": "EmailCredential", "data": {"email": "idempotent-{user}@example.com"}},
        {"type": "SsnCredential", "id": "{first}", "data": {"ssn": "999999999"}}
      ]}
      """
    Then the response status is 409
    And "$.name" is "Conflict"
    And "$.className" is "conflict"
    When I send GET /userCredentials/idempotent-{user}@example.com
    Then "$.credentials" has 1 item
    And "$.credentials[0].id" is "{first}"
    And "$.credentials[0].data.ssn" is "123456780"
    And the brand revokes what it issued to "idempotent-{user}@example.com"

  Scenario: Patch the data, expiration and status; the id stays the same
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "patched-{user}@example.com", "credentials": [{"type": "EmailCredential", "data": {"email": "patched-{user}@example.com"}}]}
      """
    And I remember "$.credentials[0].id" as email_id
    And I send PATCH /credentials/{email_id}
      """
      {"data": {"email": "patched-again-{user}@example.com"}, "expirationDate": 4102444800000}
      """
    Then the response status is 200
    And "$.id" is "{email_id}"
    And "$.data.email" is "patched-again-{user}@example.com"
    And "$.expirationDate" is "4102444800000"
    And "$.status" is "valid"
    When I send PATCH /credentials/{email_id}
      """
      {"status": "revoked"}
      """
    Then "$.status" is "revoked"
    And "$.data.email" is "patched-again-{user}@example.com"
    When I send GET /credentials/{email_id}
    Then "$.status" is "revoked"

  Scenario: Patched data is validated like issued data
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "badpatch-{user}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    And I remember "$.credentials[0].id" as ssn_id
    And I send PATCH /credentials/{ssn_id}
      """
      {"data": {"ssn": "12"}}
      """
    Then the response status is 400
    When I send GET /credentials/{ssn_id}
    Then "$.data.ssn" is "123456780"
    And the brand revokes what it issued to "badpatch-{user}@example.com"

  Scenario: An unknown credential id is not found
    When I send GET /credentials/{uuid}
    Then the response status is 404
    When I send PATCH /credentials/{uuid}
      """
      {"status": "revoked"}
      """
    Then the response status is 404

  Scenario: A revoked credential is never matched
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "revoked-{user}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    And I remember "$.credentials[0].id" as ssn_id
    And I send POST /hasMatchingCredentials
      """
      {"email": "revoked-{user}@example.com", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    Then "$.match" is true
    When I send PATCH /credentials/{ssn_id}
      """
      {"status": "revoked"}
      """
    And I send POST /hasMatchingCredentials
      """
      {"email": "revoked-{user}@example.com", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    Then "$.match" is false
    When I send PATCH /credentials/{ssn_id}
      """
      {"status": "valid"}
      """
    And I send POST /hasMatchingCredentials
      """
      {"email": "revoked-{user}@example.com", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    Then "$.match" is true
    And the brand revokes what it issued to "revoked-{user}@example.com"

  Scenario: An expired credential is never matched, even while its status is valid
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "expired-{user}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}, "expirationDate": 1000}]}
      """
    Then "$.credentials[0].status" is "valid"
    When I send POST /hasMatchingCredentials
      """
      {"email": "expired-{user}@example.com", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    Then "$.match" is false
    And the brand revokes what it issued to "expired-{user}@example.com"

  @mock-only
  Scenario: A credential expires by the clock, and is then never matched
    When I send POST /credentials
      """
      {"email": "soon-{run_id}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    And I remember "$.credentials[0].id" as ssn_id
    And I remember "$.credentials[0].issuanceDate" plus 60 seconds as soon
    And I send PATCH /credentials/{ssn_id}
      """
      {"expirationDate": {soon}}
      """
    And I send POST /hasMatchingCredentials
      """
      {"email": "soon-{run_id}@example.com", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    Then "$.match" is true
    When the mock clock advances 61 seconds
    And I send POST /hasMatchingCredentials
      """
      {"email": "soon-{run_id}@example.com", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    Then "$.match" is false

  @mock-only @v1
  Scenario: Revoked credentials are never shared in the wallet nor returned by 1-Click
    When I send POST /credentials
      """
      {"phone": "+10123456789", "credentials": [{"type": "EmployerCredential", "data": [
        {"type": "FirstNameCredential", "data": {"firstName": "Hooli"}}
      ]}]}
      """
    And I remember "$.credentials[0].id" as employer
    And I send POST /1-click
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "EmployerCredential"}, {"type": "SsnCredential"}]}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    Then "$.credentials.employer" exists
    When I send PATCH /credentials/{employer}
      """
      {"status": "revoked"}
      """
    And the user shares the credentials
    And the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    And I send GET /1-click/{one_click_uuid}
    Then "$.credentials.employer" does not exist
    And "$.credentials.ssn" exists
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01", "credentialRequests": [{"type": "EmployerCredential"}]}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE013"
