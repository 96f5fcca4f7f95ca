@truework @mock-only
Feature: Truework's server errors
  Truework documents 500 (Internal Server Error) and 501 (Not Implemented). The mock never
  answers them on its own; the fault API makes them reachable, in Truework's error shape, so a
  client's handling of them can be tested.
  Source: [truework-session] § Errors 500, 501.

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario Outline: An injected <status> answers once, then the session is created
    Given the mock injects the fault:
      """
      {"operationId": "createCredentialsSession", "status": <status>, "times": 1}
      """
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is <status>
    And "$.error.message" exists
    And the mock journal's last request is POST /truework/credentials/session with status <status>
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

    Examples:
      | status |
      | 500    |
      | 501    |
