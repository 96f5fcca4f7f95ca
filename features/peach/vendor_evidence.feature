@peach
Feature: Answers shaped like Peach's API reference
  Peach's API reference (docs.peach.finance; tests/vendor-evidence/peach/, contracts/NOTES.md §
  Vendor evidence > Peach) lists "in reverse chronological order", newest first, and answers a
  started verification as the verification object: `object` "verification", the agent who
  started it (none for an API key), `maxAttempts`, the `questions` drawn for the session, the
  `attempts` so far, `updatedAt` and `deletedAt`.

  Background:
    Given the peach API

  # @mock-only: on a shared sandbox, scenarios running at the same time may create types
  # between these two, so "the next one down is ours" only holds on a mock of its own.
  @mock-only
  Scenario: The newest verification type comes first
    When I send POST /verification-types
      """
      {"expirationInSecs": 600}
      """
    And I remember "$.data.id" as older
    And I send POST /verification-types
      """
      {"expirationInSecs": 700}
      """
    And I remember "$.data.id" as newer
    And I send GET /verification-types?limit=2
    Then the response status is 200
    And "$.data[0].id" is "{newer}"
    And "$.data[1].id" is "{older}"

  Scenario: A started verification is the verification object, its questions drawn by its type
    When I send POST /verification-types
      """
      {"maxAttemptsPerSession": 5, "enabledQuestionIds": ["birth-year", "zip-code", "loan-amount"],
       "questionSelectionCriteria": [{"questionIds": ["zip-code", "loan-amount"], "minimumCount": 1}]}
      """
    And I remember "$.data.id" as vt
    And I send POST /people/ext-evidence-{run_id}/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200
    And "$.data.object" is "verification"
    And "$.data.personId" is "ext-evidence-{run_id}"
    And "$.data.agentUserId" is null
    And "$.data.maxAttempts" is 5
    And "$.data.questions" has 1 item
    And "$.data.questions[0].id" is "zip-code"
    And "$.data.questions[0].text" exists
    And "$.data.attempts" is []
    And "$.data.deletedAt" is null
    When I remember "$.data.createdAt" as started
    Then "$.data.updatedAt" is 0 seconds after "{started}"

  @mock-only
  Scenario: Without selection criteria, every enabled question is drawn
    When I send POST /people/ext-borrower-2/verifications
    Then the response status is 200
    And "$.data.maxAttempts" is 3
    And "$.data.questions" has 8 items
    And "$.data.questions[0].id" is "birth-year"

  Scenario: A selection criterion as the reference samples print it draws questions of its category
    # sandboxdocs.peach.finance § Verification Types: [{"exactMatchCount": 0, "category": "inBorrowerPortal"}]
    # (tests/vendor-evidence/peach/005); contracts/NOTES.md § Peach, Choices.
    When I send POST /verification-types
      """
      {"enabledQuestionIds": null,
       "questionSelectionCriteria": [{"exactMatchCount": 2, "category": "identity"}]}
      """
    Then the response status is 200
    And "$.data.questionSelectionCriteria[0]" is {"exactMatchCount": 2, "category": "identity"}
    When I remember "$.data.id" as vt
    And I send POST /people/ext-criteria-{run_id}/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200
    And "$.data.questions" has 2 items
    And "$.data.questions[0].category" is "identity"
    And "$.data.questions[1].category" is "identity"
