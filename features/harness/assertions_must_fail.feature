@peach @must-fail
Feature: Assertions that must fail
  Each scenario here breaks one assertion on purpose. `tests/must_fail.rs` runs them alone and
  passes only if every one of them fails: a step that cannot fail is a defect.

  Background:
    Given the peach API
    When I send GET /verification-questions

  Scenario: MUST FAIL - wrong status
    Then the response status is 201

  Scenario: MUST FAIL - wrong value
    Then "$.count" is 9

  Scenario: MUST FAIL - pattern does not match
    Then "$.data[0].id" matches "^QN-"

  Scenario: MUST FAIL - absent member said to exist
    Then "$.data[0].nope" exists

  Scenario: MUST FAIL - present member said to be absent
    Then "$.data[0].id" does not exist

  Scenario: MUST FAIL - wrong length
    Then "$.data" has 7 items

  Scenario: MUST FAIL - an undefined step
    Then the moon is made of cheese

  Scenario: MUST FAIL - an unremembered value
    When I send GET /verification-types/{never_remembered}

  Scenario: MUST FAIL - the request was not bad for the reason claimed
    Then the request broke the contract with "maximum" at "/query/limit"
