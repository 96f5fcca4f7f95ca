@peach @second-tenant
Feature: Tenancy
  Each credential is its own tenant (a Peach company, a Verified brand, a Trusona account).
  No tenant can read or change another's data, and a foreign id answers exactly as an unknown
  id does.

  Background:
    Given the peach API
    When I send POST /verification-types
      """
      {"expirationInSecs": 120}
      """
    And I remember "$.data.id" as theirs

  Scenario: Another tenant cannot read it
    Given I use the second tenant's credentials
    When I send GET /verification-types/{theirs}
    Then the response status is 404
    When I remember "$.message" as foreign_message
    And I send GET /verification-types/VT-ZZZZ-ZZZZ
    Then the response status is 404

  Scenario: Another tenant cannot change it, and its list is its own
    Given I use the second tenant's credentials
    When I send PUT /verification-types/{theirs}
      """
      {"expirationInSecs": 1}
      """
    Then the response status is 404
    # Its own list does not hold it: as a cursor it names no verification type of this
    # company (features/peach/verification_types_pagination.feature).
    When I send GET /verification-types?startingAfter={theirs}
    Then the response status is 400
    And "$.errors[0].field" is "startingAfter"
    Given I use the default credentials
    When I send GET /verification-types/{theirs}
    Then "$.data.expirationInSecs" is 120
