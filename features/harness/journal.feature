@peach @mock-only
Feature: The request journal
  The mock records what it was asked and what it answered, without any secret.

  Scenario: The last request is journaled, without its credential
    Given the peach API
    When I send GET /verification-types?limit=5
    Then the mock journal's last request is GET /peach/verification-types?limit=5 with status 200
    And the mock journal holds no credential
