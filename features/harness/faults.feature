@mock-only
Feature: Injected faults
  A fault makes an operation answer a status, slowly, with an empty or malformed body, or not
  at all, so an SDK's retry and error handling can be tested. `times` limits how often.

  Scenario: A documented 500 in the vendor's error shape, once
    Given the truework API
    And the mock injects the fault:
      """
      {"operationId": "createCredentialsSession", "status": 500, "times": 1}
      """
    And the request header "Accept" is "application/json"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 500
    And "$.error.message" exists
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

  Scenario: A dropped connection
    Given the peach API
    And the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "fault": "connection_reset", "times": 1}
      """
    When I send GET /verification-questions
    Then the request fails without a response
    When I send GET /verification-questions
    Then the response status is 200

  Scenario: A slow answer
    Given the peach API
    And the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "delay_ms": 300, "times": 1}
      """
    When I send GET /verification-questions
    Then the response status is 200
    And the response took at least 300 ms

  Scenario: An empty answer, by path
    Given the peach API
    And the mock injects the fault:
      """
      {"path": "/verification-questions", "fault": "empty_response", "status": 200}
      """
    And the next response is expected to break the contract
    When I send GET /verification-questions
    Then the response status is 200
    And the response broke the contract with "content-type" at "/headers/content-type"
    Given the mock has no faults
    When I send GET /verification-questions
    Then "$.count" is 8
