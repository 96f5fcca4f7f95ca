@peach @mock-only
Feature: Every response is checked against the contract
  No step has to ask: a response that departs from its contract fails the step that received
  it, with the violations listed. A scenario that means to see a broken response says so first,
  then names the violation it expects.

  Background:
    Given the peach API

  Scenario: A malformed body is a contract violation the scenario can expect
    Given the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "fault": "malformed_body", "times": 1}
      """
    And the next response is expected to break the contract
    When I send GET /verification-questions
    Then the response status is 200
    And the response broke the contract with "json" at "/body"

  Scenario: An undocumented status is a contract violation the scenario can expect
    Given the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "status": 418, "times": 1}
      """
    And the next response is expected to break the contract
    When I send GET /verification-questions
    Then the response status is 418
    And the response broke the contract with "status" at "/status"

  Scenario: The expectation covers one response only
    Given the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "fault": "malformed_body", "times": 1}
      """
    And the next response is expected to break the contract
    When I send GET /verification-questions
    And I send GET /verification-questions
    Then the response status is 200
    And "$.count" is 8

  # expect-failure: I send GET /verification-questions :: the response breaks the contract
  @must-fail
  Scenario: MUST FAIL - an unexpected contract violation fails the scenario
    Given the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "status": 418}
      """
    When I send GET /verification-questions
    Then the response status is 418

  # expect-failure: I send GET /verification-questions :: the response breaks the contract
  @must-fail
  Scenario: MUST FAIL - a malformed body fails the scenario even when the status is right
    Given the mock injects the fault:
      """
      {"operationId": "getVerificationQuestions", "fault": "malformed_body"}
      """
    When I send GET /verification-questions
