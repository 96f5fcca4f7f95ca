@verified
Feature: Every error a call can trigger, in Verified's shape
  Errors are FeathersJS errors: `name`, `message`, `code` (the HTTP status), `className` and
  `data.errorCode` ([verified-types] § Error; codes from SUPPLEMENT.md § Error codes, their
  statuses from contracts/NOTES.md). One scenario per code the mock triggers; the flows that
  lead to each are in the other features. Not triggered by the mock (no rule in the docs
  says when): OCE010, OCE016, OCE017, OCE019 (see features/verified/README.md).

  Background:
    Given the verified API

  Scenario: ERR001 generic error (a request that breaks the contract)
    When I send POST /credentials
      """
      {"email": "err-{run_id}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "12"}}]}
      """
    Then the response status is 400
    And "$.name" is "BadRequest"
    And "$.className" is "bad-request"
    And "$.code" is 400
    And "$.data.errorCode" is "ERR001"

  Scenario: ERR001 with 401: a wrong API key
    Given I use the credential "not-a-key"
    When I send GET /credentials/{uuid}
    Then the response status is 401
    And "$.name" is "NotAuthenticated"
    And "$.className" is "not-authenticated"
    And "$.code" is 401

  Scenario Outline: <operation> without an API key is 401, before anything else is looked at
    Given I use no credentials
    When I send <method> <path>
    Then the response status is 401
    And "$.name" is "NotAuthenticated"
    And "$.code" is 401

    Examples:
      | operation                    | method | path                               |
      | createOneClick               | POST   | /1-click                           |
      | createTrustedOneClick        | POST   | /1-click/trusted                   |
      | getOneClick                  | GET    | /1-click/{uuid}                    |
      | updateOneClickCredentials    | POST   | /1-click/{uuid}/credentials        |
      | hasMatchingCredentials       | POST   | /hasMatchingCredentials            |
      | getSharedCredentials         | GET    | /sharedCredentials/{uuid}          |
      | issueCredentials             | POST   | /credentials                       |
      | getCredential                | GET    | /credentials/{uuid}                |
      | patchCredential              | PATCH  | /credentials/{uuid}                |
      | getUserCredentials           | GET    | /userCredentials/nobody@example.com |
      | patchUserCredentials         | PATCH  | /userCredentials/nobody@example.com |
      | getPartnerCredentialRequests | GET    | /credentialRequests/{uuid}         |
      | createOneClickV2             | POST   | /v2/1-click                         |
      | getOneClickV2                | GET    | /v2/1-click/{uuid}                  |
      | patchOneClickV2              | PATCH  | /v2/1-click/{uuid}                  |

  Scenario Outline: A malformed <what> is ERR001 with 400
    When I send GET <path>
    Then the response status is 400
    And "$.name" is "BadRequest"
    And "$.data.errorCode" is "ERR001"
    And the request broke the contract with "<rule>" at "<pointer>"

    Examples:
      | what                  | path                                | rule    | pointer              |
      | 1-Click uuid          | /1-click/not-a-uuid                 | format  | /path/uuid           |
      | credential id         | /credentials/not-a-uuid             | format  | /path/id             |
      | user identifier       | /userCredentials/not-a-user         | pattern | /path/userIdentifier |
      | partner uuid          | /credentialRequests/not-a-uuid      | format  | /path/partnerUuid    |

  @mock-only @v1
  Scenario: OCE001 general 1-Click error (updating a hosted 1-Click)
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials
    And the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    And I send POST /1-click/{one_click_uuid}/credentials
      """
      {"credentials": {"email": "richard@example.com"}}
      """
    Then the response status is 400
    And "$.name" is "BadRequest"
    And "$.data.errorCode" is "OCE001"

  @v1
  Scenario: OCE002 phone number not supported for 1-Click
    When I send POST /1-click
      """
      {"phone": "0123456789"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE002"

  Scenario: OCE003 either phone or email is required
    When I send POST /credentials
      """
      {"credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE003"

  Scenario: OCE004 user not found
    When I send GET /userCredentials/nobody-{run_id}@example.com
    Then the response status is 404
    And "$.name" is "NotFound"
    And "$.className" is "not-found"
    And "$.data.errorCode" is "OCE004"

  @v1
  Scenario: OCE005 credential requests are missing
    When I send POST /1-click
      """
      {"phone": "+10123456789", "credentialRequests": []}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE005"

  @v1
  Scenario: OCE006 user identifier is missing
    When I send POST /1-click
      """
      {"email": "richard@piedpiper.net"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE006"

  @v1
  Scenario: OCE007 mandatory credentials are missing
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01", "credentialRequests": [{"type": "AnnualIncomeCredential", "mandatory": "yes"}, {"type": "SsnCredential"}]}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE007"

  @mock-only @v1
  Scenario: OCE008 verification code invalid
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "123456"
    Then the response status is 400
    And "$.data.errorCode" is "OCE008"

  @mock-only @v1
  Scenario: OCE009 verification code required
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user continues without a verification code
    Then the response status is 400
    And "$.data.errorCode" is "OCE009"
    And "$.message" is "Verification code required"

  @v1
  Scenario: OCE011 more information needed (the documented example)
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false}
      """
    Then the response status is 400
    And "$" is {"name": "BadRequest", "message": "Additional information is required to source data for user: birthDate", "code": 400, "className": "bad-request", "data": {"errorCode": "OCE011", "additionalInputs": ["birthDate"]}}

  @v1
  Scenario: OCE012 birth date does not match
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "2000-01-01"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE012"

  @v1
  Scenario: OCE013 no credentials found
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01", "credentialRequests": [{"type": "PhoneInfoCredential"}]}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE013"

  @mock-only @v1
  Scenario: OCE014 1-Click request expired
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the mock clock advances 300 seconds
    And the user enters the verification code "111111"
    Then the response status is 410
    And "$.name" is "Gone"
    And "$.className" is "gone"
    And "$.data.errorCode" is "OCE014"

  @v1
  Scenario: OCE015 1-Click not found
    When I send GET /1-click/{uuid}
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"

  @mock-only @v1
  Scenario: OCE018 too many verification-code attempts
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "000000"
    And the user enters the verification code "000000"
    And the user enters the verification code "000000"
    And the user enters the verification code "000000"
    Then the response status is 429
    And "$.className" is "too-many-requests"
    And "$.data.errorCode" is "OCE018"

  @second-tenant @v1
  Scenario: OCE020 brand may not use (trusted) 1-Click
    Given I use the second tenant's credentials
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01"}
      """
    Then the response status is 403
    And "$.className" is "forbidden"
    And "$.data.errorCode" is "OCE020"

  @mock-only @v1
  Scenario: OCE021 user opted out
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user opts out
    And the user opts out
    Then the response status is 400
    And "$.data.errorCode" is "OCE021"

  Scenario: 409 Conflict: a repeated credential id
    Given a fresh id as user
    When I send POST /credentials
      """
      {"email": "conflict-{user}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    And I remember "$.credentials[0].id" as taken
    And I send POST /credentials
      """
      {"email": "conflict-{user}@example.com", "credentials": [{"type": "SsnCredential", "id": "{taken}", "data": {"ssn": "123456780"}}]}
      """
    Then the response status is 409
    And "$.name" is "Conflict"
    And "$.code" is 409
    And "$.data.errorCode" is "ERR001"
    And the brand revokes what it issued to "conflict-{user}@example.com"

  @mock-only @v1
  Scenario: The wallet's pages answer in the same shape
    When I send GET /wallet/1-click/{uuid}
    Then the response status is 404
    And "$.name" is "NotFound"
    And "$.data.errorCode" is "OCE015"
