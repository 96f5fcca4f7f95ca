@peach
Feature: Starting a borrower verification
  A lender starts a verification session for a borrower with a verification type, or with the
  company's CRM default (`crmDefaultTypeId`) when it names none. A session lasts the type's
  `expirationInSecs`; while it lasts, no other session can start for that borrower. A borrower
  who started `maxSessionsRecentPast` sessions within the last `recentPastSecs` is throttled:
  429, with `nextVerificationOkAt` saying when a new one may start. A dry run starts nothing and
  only says whether a verification could start: 204 if it could, 400 if not.
  Sources: [peach-verification-types] § Create verification type ("POST-ing to the
  /people/{personId}/verifications endpoint", crmDefaultTypeId); SUPPLEMENT.md (default type,
  dryRun, 429 and nextVerificationOkAt, personId forms); contracts/NOTES.md § Peach.

  Background:
    Given the peach API

  @mock-only
  Scenario: Without a verification type, the company's CRM default applies
    # VT-7RKX-OKQZ is the default test company's seeded crmDefaultTypeId (features/peach/README.md).
    When I send POST /people/ext-borrower-1/verifications
    Then the response status is 200
    And "$.status" is 200
    And "$.data.id" matches "^BV-[A-Z0-9]{4}-[A-Z0-9]{4}$"
    And "$.data.personId" is "ext-borrower-1"
    And "$.data.verificationTypeId" is "VT-7RKX-OKQZ"
    And "$.data.status" is "pending"
    When I remember "$.data.createdAt" as started
    Then "$.data.expiresAt" is 900 seconds after "{started}"

  @mock-only @second-tenant
  Scenario: Each company has its own CRM default
    # VT-2SEC-DFLT is the second test company's seeded crmDefaultTypeId.
    Given I use the second tenant's credentials
    When I send POST /people/ext-borrower-1/verifications
      """
      {}
      """
    Then the response status is 200
    And "$.data.verificationTypeId" is "VT-2SEC-DFLT"

  Scenario: A named verification type applies, with its session length
    Given a fresh id as borrower
    When I send POST /verification-types
      """
      {"expirationInSecs": 600}
      """
    And I remember "$.data.id" as vt
    And I send POST /people/ext-{borrower}/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200
    And "$.data.verificationTypeId" is "{vt}"
    And "$.data.personId" is "ext-{borrower}"
    When I remember "$.data.createdAt" as started
    Then "$.data.expiresAt" is 600 seconds after "{started}"

  Scenario: An unknown verification type is a 404, dry run or not
    When I send POST /people/12345/verifications
      """
      {"verificationTypeId": "VT-ZZZZ-ZZZZ"}
      """
    Then the response status is 404
    And "$.message" matches "VT-ZZZZ-ZZZZ"
    When I send POST /people/12345/verifications?dryRun=true
      """
      {"verificationTypeId": "VT-ZZZZ-ZZZZ"}
      """
    Then the response status is 404

  Scenario: Without credentials nothing starts
    Given I use no credentials
    When I send POST /people/ext-borrower-1/verifications
    Then the response status is 401
    And "$.status" is 401
    And "$.message" exists

  Scenario: A malformed verification type id is a 400
    When I send POST /people/12345/verifications
      """
      {"verificationTypeId": "7RKX-OKQZ"}
      """
    Then the response status is 400
    And "$.errors[0].field" is "verificationTypeId"

  # A dry run checks the id as a start would and starts nothing, so these fixed ids stay free
  # on a target that is never reset (a real start would hold each one for 15 minutes).
  Scenario Outline: A person id in a documented form is accepted: <personId>
    When I send POST /people/<personId>/verifications?dryRun=true
    Then the response status is 204

    Examples:
      | personId        |
      | ext-borrower-42 |
      | ext-42          |
      | BO-ABCD-1234    |
      | BO-ABCD-123     |
      | BO-ABCD-12345   |
      | P1-7RKX-OKQZ    |
      | 12345           |
      | 0               |

  Scenario Outline: A person id in no documented form is a 400: <personId>
    When I send POST /people/<personId>/verifications
    Then the response status is 400
    And "$.errors[0].field" is "personId"
    And the request broke the contract with "pattern" at "/path/personId"

    Examples:
      | personId      |
      | borrower-42   |
      | ext-          |
      | BO-abcd-1234  |
      | B-ABCD-1234   |
      | BO-ABCD       |
      | 1O-ABCD-1234  |
      | 12a45         |
      | -12           |

  Scenario: A dry run starts nothing
    Given a fresh id as borrower
    When I send POST /people/ext-{borrower}/verifications?dryRun=true
    Then the response status is 204
    When I send POST /people/ext-{borrower}/verifications?dryRun=true
    Then the response status is 204
    When I send POST /people/ext-{borrower}/verifications?dryRun=false
    Then the response status is 200
    When I send POST /people/ext-{borrower}/verifications?dryRun=true
    Then the response status is 400
    And "$.message" matches "in progress"

  Scenario: While a session lasts, no other can start for that borrower; others are free
    Given a fresh id as borrower
    And a fresh id as other_borrower
    When I send POST /people/ext-{borrower}/verifications
    Then the response status is 200
    And "$.data.personId" is "ext-{borrower}"
    And "$.data.verificationTypeId" matches "^VT-[A-Z0-9]{4}-[A-Z0-9]{4}$"
    When I send POST /people/ext-{borrower}/verifications
    Then the response status is 400
    And "$.errors[0].field" is "personId"
    When I send POST /people/ext-{other_borrower}/verifications
    Then the response status is 200

  @mock-only
  Scenario: A session expires after expirationInSecs, by the mock clock
    When I send POST /verification-types
      """
      {"expirationInSecs": 60, "maxSessionsRecentPast": 10}
      """
    And I remember "$.data.id" as vt
    And I send POST /people/ext-borrower-1/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200
    When I remember "$.data.createdAt" as started
    Then "$.data.expiresAt" is 60 seconds after "{started}"
    When the mock clock advances 59 seconds
    And I send POST /people/ext-borrower-1/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 400
    When the mock clock advances 1 second
    And I send POST /people/ext-borrower-1/verifications?dryRun=true
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 204
    When I send POST /people/ext-borrower-1/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200

  @mock-only
  Scenario: Too many sessions in the recent past are throttled until nextVerificationOkAt
    When I send POST /verification-types
      """
      {"expirationInSecs": 60, "maxSessionsRecentPast": 2, "recentPastSecs": 3600}
      """
    And I remember "$.data.id" as vt
    And I send POST /people/BO-ABCD-1234/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200
    When I remember "$.data.createdAt" as first
    And the mock clock advances 60 seconds
    And I send POST /people/BO-ABCD-1234/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200
    When the mock clock advances 60 seconds
    And I send POST /people/BO-ABCD-1234/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 429
    And "$.status" is 429
    And "$.nextVerificationOkAt" is 3600 seconds after "{first}"
    # A dry run says the same thing as a 400.
    When I send POST /people/BO-ABCD-1234/verifications?dryRun=true
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 400
    And "$.nextVerificationOkAt" is 3600 seconds after "{first}"
    # Another borrower is not throttled.
    When I send POST /people/BO-WXYZ-9876/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200
    # Before nextVerificationOkAt: still throttled; after it: free. The margins are wide because
    # the mock clock also runs in real time, and a slow target (--latency 200ms, a remote mock)
    # spends seconds between these steps.
    When the mock clock advances 3400 seconds
    And I send POST /people/BO-ABCD-1234/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 429
    When the mock clock advances 120 seconds
    And I send POST /people/BO-ABCD-1234/verifications
      """
      {"verificationTypeId": "{vt}"}
      """
    Then the response status is 200

  @mock-only
  Scenario: The default type throttles at its documented 2 sessions an hour
    When I send POST /people/ext-borrower-1/verifications
    And I remember "$.data.createdAt" as first
    And the mock clock advances 900 seconds
    And I send POST /people/ext-borrower-1/verifications
    Then the response status is 200
    When the mock clock advances 900 seconds
    And I send POST /people/ext-borrower-1/verifications
    Then the response status is 429
    And "$.nextVerificationOkAt" is 3600 seconds after "{first}"
