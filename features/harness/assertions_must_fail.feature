@peach @must-fail
Feature: Assertions that must fail
  Each scenario here breaks one assertion on purpose. `tests/must_fail.rs` runs them alone and
  passes only if each fails at the step its `# expect-failure:` comment names, with that
  message, after the Background and every step before it passed: a step that cannot fail, or
  fails for another reason, is a defect.

  Background:
    Given the peach API
    When I send GET /verification-questions

  # expect-failure: the response status is 201 :: expected status 201, got 200
  Scenario: MUST FAIL - wrong status
    Then the response status is 201

  # expect-failure: "$.count" is 9 :: $.count is 8, expected 9
  Scenario: MUST FAIL - wrong value
    Then "$.count" is 9

  # expect-failure: "$.data[0].id" matches "^QN-" :: which does not match /^QN-/
  Scenario: MUST FAIL - pattern does not match
    Then "$.data[0].id" matches "^QN-"

  # expect-failure: "$.data[0].nope" exists :: $.data[0].nope selects nothing
  Scenario: MUST FAIL - absent member said to exist
    Then "$.data[0].nope" exists

  # expect-failure: "$.data[0].id" does not exist :: , expected nothing
  Scenario: MUST FAIL - present member said to be absent
    Then "$.data[0].id" does not exist

  # expect-failure: "$.data" has 7 items :: $.data has 8 items, expected 7
  Scenario: MUST FAIL - wrong length
    Then "$.data" has 7 items

  # expect-failure: the moon is made of cheese :: no step definition matches `Then the moon is made of cheese`
  Scenario: MUST FAIL - an undefined step
    Then the moon is made of cheese

  # expect-failure: the respons status is 200 :: did you mean: `Then the response status is 201`
  Scenario: MUST FAIL - a misspelt step names the step it meant
    Then the respons status is 200

  # expect-failure: I send GET /verification-types/{never_remembered} :: `{never_remembered}` is not remembered
  Scenario: MUST FAIL - an unremembered value
    When I send GET /verification-types/{never_remembered}

  # expect-failure: the request broke the contract with "maximum" at "/query/limit" :: expected a `maximum` violation at "/query/limit" in the request
  Scenario: MUST FAIL - the request was not bad for the reason claimed
    Then the request broke the contract with "maximum" at "/query/limit"

  # expect-failure: the response header "Content-Type" is "text/plain" :: expected "text/plain"
  Scenario: MUST FAIL - wrong header value
    Then the response header "Content-Type" is "text/plain"

  # expect-failure: the request fails without a response :: expected the connection to fail without a response
  Scenario: MUST FAIL - an answered request said to have no response
    Then the request fails without a response

  # expect-failure: the response took at least 60000 ms :: expected at least 60000 ms
  Scenario: MUST FAIL - a quick answer said to be slow
    Then the response took at least 60000 ms

  # expect-failure: I remember "$.data[0].nope" as nope :: $.data[0].nope selects nothing
  Scenario: MUST FAIL - remembering a member that is not there
    When I remember "$.data[0].nope" as nope

  # expect-failure: I remember "$.data[0].id" plus 60 seconds as later :: not milliseconds since the epoch
  Scenario: MUST FAIL - a date computed from a value that is not one
    When I remember "$.data[0].id" plus 60 seconds as later

  # expect-failure: I follow "$.data[0].id" :: is not under the API's base URL
  Scenario: MUST FAIL - following a value that is not a URL of the API
    When I follow "$.data[0].id"

  # expect-failure: "$.data.createdAt" is 60 seconds after "{created}" :: ms after
  Scenario: MUST FAIL - a date said to be later than it is
    When I send POST /verification-types
      """
      {}
      """
    And I remember "$.data.createdAt" as created
    Then "$.data.createdAt" is 60 seconds after "{created}"
