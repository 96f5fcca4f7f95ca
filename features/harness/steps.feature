@peach
Feature: The generic step vocabulary
  The steps every API's features are written with: choosing an API, sending JSON, asserting on
  status and JSON paths, remembering values and using them later. Peach verification types are
  the test API here: small, stateful, and fully mocked.

  Background:
    Given the peach API

  Scenario: Create a resource, remember its id and read it back
    When I send POST /verification-types
      """
      {"expirationInSecs": 600, "enabledQuestionIds": ["birth-year", "zip-code"]}
      """
    Then the response status is 200
    And "$.data.id" matches "^VT-[A-Z0-9]{4}-[A-Z0-9]{4}$"
    And "$.data.expirationInSecs" is 600
    And "$.data.maxAttemptsPerSession" is 3
    And "$.data.enabledQuestionIds" has 2 items
    And "$.data.enabledQuestionIds[0]" is "birth-year"
    And "$.data.createdAt" exists
    And "$.data.unknownMember" does not exist
    When I remember "$.data.id" as vt_id
    And I send GET /verification-types/{vt_id}
    Then the response status is 200
    And "$.data.id" is "{vt_id}"
    And "$.data.expirationInSecs" is 600

  Scenario: A value can be compared with null, numbers, strings and arrays
    When I send POST /verification-types
      """
      {}
      """
    Then "$.data.enabledQuestionIds" is null
    And "$.data.questionSelectionCriteria" is []
    And "$.status" is 200
    And "$.data.recentPastSecs" is 3600

  Scenario: Following a URL found in a response
    # Pages of one around the scenario's own newest type (lists are newest first): the page
    # after it leads back to it and forth again, whatever else the company holds.
    When I send POST /verification-types
      """
      {}
      """
    And I send POST /verification-types
      """
      {}
      """
    And I remember "$.data.id" as newest
    And I send GET /verification-types?limit=1&startingAfter={newest}
    Then "$.data" has 1 items
    When I remember "$.data[0].id" as after_newest
    And I follow "$.previousUrl"
    Then the response status is 200
    And "$.data" has 1 items
    And "$.data[0].id" is "{newest}"
    When I follow "$.nextUrl"
    Then "$.data[0].id" is "{after_newest}"

  Scenario: Headers sent with every following request
    Given the request header "X-Request-Id" is "vouch-{run_id}"
    When I send GET /verification-questions
    Then the response status is 200
    And "$.count" is 8

  Scenario: A deliberately bad request is checked for the reason the scenario means
    When I send GET /verification-types?limit=101
    Then the response status is 400
    And the request broke the contract with "maximum" at "/query/limit"
    And "$.errors[0].field" is "limit"
