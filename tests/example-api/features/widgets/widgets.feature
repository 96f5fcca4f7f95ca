@widgets
Feature: Widgets are created and read back by their owner only
  Source: tests/example-api/README.md (an invented API).

  Background:
    Given the widgets API

  Scenario: A created widget reads back
    When I send POST /widgets
      """
      {"size": 3, "ownerNationalId": "987654321"}
      """
    Then the response status is 201
    And "$.id" matches "^WG-"
    And I remember "$.id" as widget
    When I send GET /widgets/{widget}
    Then the response status is 200
    And "$.size" is 3

  Scenario: An unknown widget is 404 with Acme's error code
    When I send GET /widgets/WG-NOPE00
    Then the response status is 404
    And "$.error.code" is "W404"

  Scenario: A body that breaks the schema is 400
    When I send POST /widgets
      """
      {"size": 0, "ownerNationalId": "987654321"}
      """
    Then the response status is 400
    And "$.error.code" is "W400"

  Scenario: No key is 401, before the body is looked at
    Given I use no credentials
    When I send GET /widgets/WG-ABC123
    Then the response status is 401
    When I send POST /widgets
      """
      {"size": 0}
      """
    Then the response status is 401

  @second-tenant
  Scenario: Another tenant's widget answers as an unknown one
    When I send POST /widgets
      """
      {"size": 5, "ownerNationalId": "555443333"}
      """
    Then the response status is 201
    And I remember "$.id" as widget
    Given I use the second tenant's credentials
    When I send GET /widgets/{widget}
    Then the response status is 404
    And "$.error.code" is "W404"
