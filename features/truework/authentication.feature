@truework
Feature: Who may create a Credentials Session, and in which format
  Requests carry `Authorization: Bearer <token>` and an `Accept` header asking for JSON,
  optionally with an API version. A missing or unknown token is 401, a token without
  permission 403, and an `Accept` that is not JSON 406. The token is checked before the
  `Accept` header and the body.
  Source: [truework-session] § Authentication, § Headers, § Errors;
  SUPPLEMENT.md (the versioned Accept header).

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario: No token is 401
    Given I use no credentials
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 401
    And "$.error.message" exists
    And "$.error.invalid_fields" does not exist

  Scenario: An unknown token is 401, even with a bad Accept header and a bad body
    Given I use the credential "not-a-truework-token"
    And the request header "Accept" is "text/html"
    When I send POST /credentials/session
      """
      {"type": "nonsense"}
      """
    Then the response status is 401
    And "$.error.message" exists

  @mock-only
  Scenario: A token without permission is 403, before its body is looked at
    # vouch-no-permission-token is seeded in the mock (features/truework/README.md).
    Given I use the credential "vouch-no-permission-token"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 403
    And "$.error.message" exists
    When I send POST /credentials/session
      """
      {"type": "nonsense"}
      """
    Then the response status is 403

  Scenario Outline: Accept "<accept>" is 406
    Given the request header "Accept" is "<accept>"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 406
    And "$.error.message" exists
    And the request broke the contract with "pattern" at "/headers/accept"

    Examples:
      | accept                            |
      | text/html                         |
      | */*                               |
      | application/xml                   |
      | application/json; version=latest  |
      | application/json; charset=utf-8   |

  Scenario: A bad Accept header wins over a bad body
    Given the request header "Accept" is "text/plain"
    When I send POST /credentials/session
      """
      {"type": "nonsense"}
      """
    Then the response status is 406

  Scenario Outline: Accept "<accept>" is JSON
    Given the request header "Accept" is "<accept>"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

    Examples:
      | accept                                |
      | application/json                      |
      | application/json; version=2020-12-07  |
      | application/json;version=2020-12-07   |
