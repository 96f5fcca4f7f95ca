@peach
Feature: The question bank
  The questions a verification type may ask a borrower, each `{id, text, memo, category}`, in
  the `{status, count, data}` list envelope.
  Source: [peach-verification-types] § Get questions; SUPPLEMENT.md (question shape).

  Background:
    Given the peach API

  Scenario: Every question of the bank, in the list envelope
    When I send GET /verification-questions
    Then the response status is 200
    And "$.status" is 200
    And "$.count" is 8
    And "$.data" has 8 items
    And "$.data[0].id" is "birth-year"
    And "$.data[0].text" is "In what year were you born?"
    And "$.data[0].category" is "identity"
    And "$.data[0].memo" is null

  @second-tenant
  Scenario: Every company sees the same bank
    Given I use the second tenant's credentials
    When I send GET /verification-questions
    Then the response status is 200
    And "$.count" is 8
    And "$.data[7].id" is "payment-day"

  Scenario: The API key header works as well as a bearer token
    Given I use the default credentials in the "X-API-KEY" header
    When I send GET /verification-questions
    Then the response status is 200
