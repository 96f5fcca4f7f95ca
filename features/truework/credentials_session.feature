@truework
Feature: Create a Credentials Session
  A verifier asks Truework for a Credentials Session for the person whose employment (and
  income) it wants verified, and gets back the session's id and token. The endpoint is
  deprecated by Truework; vouch still checks it and lists it as deprecated.
  Source: [truework-session] § Create a Credentials Session; SUPPLEMENT.md.

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario: A complete request creates a session
    When I send POST /credentials/session
      """
      {"type": "employment-income", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Joe", "last_name": "Smith", "social_security_number": "000-20-0000",
                  "contact_email": "joe.smith@example.com", "date_of_birth": "1980-01-31",
                  "company": {"name": "Example Corp"}},
       "metadata": {"internal_id": "12345", "note": null}}
      """
    Then the response status is 201
    And "$.id" matches "^.+$"
    And "$.token" matches "^.+$"

  Scenario: Only the required members, an SSN without dashes and a company by id
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "credit-application", "use_case": "lending",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000200000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31",
                  "company": {"id": "c-123"}}}
      """
    Then the response status is 201
    And "$.id" matches "^.+$"
    And "$.token" matches "^.+$"

  Scenario: A use case only Truework's SDK offers ("other") is accepted
    # contracts/NOTES.md § Answers within every vendor source (SDK drift): the contract accepts
    # the union of the vendor sources; truework-sdk-node lib/types.ts offers `other`.
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "other",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

  Scenario Outline: Every documented type is accepted: <type>
    When I send POST /credentials/session
      """
      {"type": "<type>", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

    Examples:
      | type              |
      | employment        |
      | employment-income |

  Scenario Outline: Every documented permissible purpose is accepted: <purpose>
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "<purpose>", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

    Examples:
      | purpose                            |
      | child-support                      |
      | credit-application                 |
      | employee-eligibility               |
      | employee-request                   |
      | employee-review-or-collection      |
      | employment                         |
      | insurance-underwriting-application |
      | legitimate-reason-initiated        |
      | legitimate-reason-review           |
      | risk-assessment                    |
      | subpoena                           |

  Scenario Outline: Every documented use case is accepted: <use_case>
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "<use_case>",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

    Examples:
      | use_case           |
      | mortgage           |
      | home-equity        |
      | background         |
      | tenant             |
      | government         |
      | auto               |
      | lending            |
      | credit             |
      | identity           |
      | insurance          |
      | health             |
      | offers             |
      | account-management |
      | preapproval        |
