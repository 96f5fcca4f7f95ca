@peach @mock-only @must-fail
Feature: Paging checks that must fail
  The steps that create verification types and walk their pages check every answer on the
  way; these scenarios break the answer (fault injection) or the expectation. `tests/must_fail.rs`
  requires each to fail at the step its `# expect-failure:` comment names, with that message.

  Background:
    Given the peach API

  # expect-failure: 2 verification types were created, remembered as vt_1 to vt_2 :: creating verification type 1 of 2 answered 400
  Scenario: MUST FAIL - creating verification types that the API refuses
    Given the mock injects the fault:
      """
      {"operationId": "createVerificationType", "status": 400, "times": 1}
      """
    And 2 verification types were created, remembered as vt_1 to vt_2

  # expect-failure: I page forwards through the verification types, 5 at a time :: a page of the walk answered 400
  Scenario: MUST FAIL - a walk whose page is refused
    Given the mock injects the fault:
      """
      {"operationId": "listVerificationTypes", "status": 400, "times": 1}
      """
    When I page forwards through the verification types, 5 at a time

  # expect-failure: the walk saw "VT-7RKX-OKQZ, {vt_2}, {vt_1}" :: missing: [], repeated: []
  Scenario: MUST FAIL - the walk saw the list in another order
    Given 2 verification types were created, remembered as vt_1 to vt_2
    When I page forwards through the verification types, 5 at a time
    Then the walk saw "VT-7RKX-OKQZ, {vt_2}, {vt_1}"

  # expect-failure: the pages held 2, 1 verification types :: the pages held [3], expected [2, 1]
  Scenario: MUST FAIL - the pages held other sizes
    Given 2 verification types were created, remembered as vt_1 to vt_2
    When I page forwards through the verification types, 5 at a time
    Then the pages held 2, 1 verification types
