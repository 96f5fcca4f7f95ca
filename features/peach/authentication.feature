@peach
Feature: Every operation needs the company's credential
  Each request carries the company's credential (oauth2, a bearer token or the API key header);
  without it every operation answers 401 in Peach's error shape, before it looks at the path,
  the query or the body. The ids below need not exist: nothing is read or created.
  Source: [peach-verification-types] ("Security oauth2 or bearerAuth or apiKeyHeader" on
  every call); contracts/NOTES.md § Peach.

  Background:
    Given the peach API
    And I use no credentials

  Scenario Outline: <operation> without a credential is 401
    When I send <method> <path>
    Then the response status is 401
    And "$.status" is 401
    And "$.message" exists

    Examples:
      | operation                | method | path                                 |
      | getVerificationQuestions | GET    | /verification-questions              |
      | listVerificationTypes    | GET    | /verification-types                  |
      | createVerificationType   | POST   | /verification-types                  |
      | getVerificationType      | GET    | /verification-types/VT-ZZZZ-ZZZZ     |
      | updateVerificationType   | PUT    | /verification-types/VT-ZZZZ-ZZZZ     |
      | createPersonVerification | POST   | /people/ext-{uuid}/verifications     |
