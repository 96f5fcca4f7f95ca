@peach @mock-only @must-fail
Feature: Checks on a broken target, and on the mock's journal, that must fail
  The mock's fault injection breaks the answer, or the scenario puts what must not be there
  where the check looks. `tests/must_fail.rs` runs them alone and requires each to fail at the
  step its `# expect-failure:` comment names, with that message.

  Background:
    Given the peach API

  # expect-failure: I send POST /verification-types with content type "application/json" :: the response breaks the contract
  Scenario: MUST FAIL - a malformed answer to a raw body fails the sending step
    Given the mock injects the fault:
      """
      {"operationId": "createVerificationType", "fault": "malformed_body"}
      """
    When I send POST /verification-types with content type "application/json"
      """
      {}
      """

  # expect-failure: I send POST /verification-types with a JSON body of 100 bytes :: the response breaks the contract
  Scenario: MUST FAIL - an undocumented status for a sized body fails the sending step
    Given the mock injects the fault:
      """
      {"operationId": "createVerificationType", "status": 418}
      """
    When I send POST /verification-types with a JSON body of 100 bytes

  # expect-failure: the response broke the contract with "status" at "/status" :: expected a `status` violation at "/status" in the response
  Scenario: MUST FAIL - a broken answer broken for another reason than claimed
    Given the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "fault": "malformed_body", "times": 1}
      """
    And the next response is expected to break the contract
    When I send GET /verification-questions
    Then the response broke the contract with "status" at "/status"

  # expect-failure: the mock journal's last request is POST /peach/verification-questions with status 200 :: the journal's last request is
  Scenario: MUST FAIL - the journal's last request is another
    When I send GET /verification-questions
    Then the mock journal's last request is POST /peach/verification-questions with status 200

  # expect-failure: the mock journal holds no credential :: the mock journal contains a credential
  Scenario: MUST FAIL - a credential sent where the journal keeps it
    When I send GET /verification-types/vouch-test-token
    Then the mock journal holds no credential

  # expect-failure: the mock clock advances 300000000000 seconds :: admin API /clock/advance answered 400
  Scenario: MUST FAIL - the admin API refuses a clock jump past what dates can hold
    When the mock clock advances 300000000000 seconds
