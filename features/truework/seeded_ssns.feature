@truework @mock-only
Feature: Seeded SSNs: a frozen SSN, a failing server, a target not implemented
  Truework refuses to process a person whose SSN is frozen: 451. It also documents 500
  (Internal Server Error) and 501 (Not Implemented Error) without saying when. The mock answers
  each for one seeded SSN (features/truework/README.md), written with or without dashes, so a
  client can test its handling of them with a plain request. None creates a session. The body
  is validated first: a seeded SSN in an otherwise invalid body is still a 400.
  Source: [truework-session] § Errors 451, 500, 501; SUPPLEMENT.md ("451 'Frozen
  SSN'"); contracts/NOTES.md § Truework > Mock behaviour.

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario Outline: The frozen SSN, written <form>, is 451
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "<ssn>",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 451
    And "$.error.message" matches "frozen"
    And "$.error.invalid_fields" does not exist
    And "$.id" does not exist

    Examples:
      | form            | ssn         |
      | with dashes     | 000-00-0451 |
      | without dashes  | 000000451   |

  Scenario Outline: The seeded SSN <ssn> answers <status>, in Truework's error shape
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "<ssn>",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is <status>
    And "$.error.message" matches "<message>"
    And "$.error.invalid_fields" does not exist
    And "$.id" does not exist
    And "$.token" does not exist

    Examples:
      | ssn         | status | message         |
      | 000-00-0500 | 500    | Internal server |
      | 000000501   | 501    | Not implemented |

  Scenario: An invalid body with the frozen SSN is a 400
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-00-0451",
                  "contact_email": "not-an-email", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.target.contact_email[0]" matches "^format"
