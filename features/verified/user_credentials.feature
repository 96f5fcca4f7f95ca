@verified
Feature: All of a user's credentials from one brand
  An issuer lists what it issued to a user, by phone or email, and can set the status of all
  of it at once. Only the status changes, and only this brand's credentials.
  ([verified-api-ref] § Patch All User Credentials, § Get All User Credentials)

  Background:
    Given the verified API
    And a fresh id as user
    When I send POST /credentials
      """
      {"email": "all-{user}@example.com", "credentials": [
        {"type": "SsnCredential", "data": {"ssn": "123456780"}},
        {"type": "EmailCredential", "data": {"email": "all-{user}@example.com"}}
      ]}
      """

  Scenario: List what this brand issued to the user
    When I send GET /userCredentials/all-{user}@example.com
    Then the response status is 200
    And "$.credentials" has 2 items
    And "$.credentials[0].type" is "SsnCredential"
    And "$.credentials[1].data.email" is "all-{user}@example.com"
    Then the brand revokes what it issued to "all-{user}@example.com"

  Scenario: Revoke everything this brand issued to the user: only the status changes
    When I send PATCH /userCredentials/all-{user}@example.com
      """
      {"status": "revoked", "data": {"ssn": "000000000"}, "expirationDate": 1000}
      """
    Then the response status is 200
    And "$.credentials" has 2 items
    And "$.credentials[0].status" is "revoked"
    And "$.credentials[1].status" is "revoked"
    And "$.credentials[0].data.ssn" is "123456780"
    And "$.credentials[0].expirationDate" is null
    When I send POST /hasMatchingCredentials
      """
      {"email": "all-{user}@example.com", "credentialRequests": [{"type": "EmailCredential"}]}
      """
    Then "$.match" is false
    When I send PATCH /userCredentials/all-{user}@example.com
      """
      {"status": "valid"}
      """
    And I send GET /userCredentials/all-{user}@example.com
    Then "$.credentials[0].status" is "valid"
    Then the brand revokes what it issued to "all-{user}@example.com"

  Scenario: The status is required
    When I send PATCH /userCredentials/all-{user}@example.com
      """
      {}
      """
    Then the response status is 400
    And the request broke the contract with "required" at "/body/status"
    Then the brand revokes what it issued to "all-{user}@example.com"

  Scenario: An unknown user is OCE004
    When I send GET /userCredentials/nobody-{run_id}@example.com
    Then the response status is 404
    And "$.data.errorCode" is "OCE004"
    When I send PATCH /userCredentials/nobody-{run_id}@example.com
      """
      {"status": "revoked"}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE004"
    Then the brand revokes what it issued to "all-{user}@example.com"

  # The documented test user, because his credentials come from another issuer. What the
  # scenario issues to him it revokes, so his usable credentials stay as documented on a
  # target that is never reset.
  Scenario: A phone names the user too (its + written %2B), and other issuers' credentials are not listed
    When I send POST /credentials
      """
      {"phone": "+10123456789", "credentials": [{"type": "EmailCredential", "data": {"email": "listed-{user}@example.com"}}]}
      """
    And I remember "$.credentials[0].id" as issued
    And I send GET /userCredentials/%2B10123456789
    Then the response status is 200
    And "$.credentials[?@.id == '{issued}'].data.email" is "listed-{user}@example.com"
    # The test user's SSN was issued by another brand.
    And "$.credentials[?@.type == 'SsnCredential']" does not exist
    When I send PATCH /credentials/{issued}
      """
      {"status": "revoked"}
      """
    Then "$.status" is "revoked"
    And the brand revokes what it issued to "all-{user}@example.com"
