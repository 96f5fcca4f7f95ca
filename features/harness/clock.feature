@peach @mock-only
Feature: The mock clock
  Every timestamp the mock writes reads its clock; advancing it lets a scenario test a time
  rule without waiting.

  Scenario: Timestamps follow the advanced clock
    Given the peach API
    When I send POST /verification-types
      """
      {}
      """
    And I remember "$.data.id" as vt_id
    And I remember "$.data.createdAt" as created
    And the mock clock advances 3600 seconds
    And I send PUT /verification-types/{vt_id}
      """
      {"maxAttemptsPerSession": 5}
      """
    Then "$.data.updatedAt" is at least 3600 seconds after "{created}"
    And "$.data.createdAt" is "{created}"
    And "$.data.maxAttemptsPerSession" is 5
