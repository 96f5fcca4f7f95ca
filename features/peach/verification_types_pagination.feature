@peach @mock-only
Feature: Paging through verification types
  The list of a company's verification types comes newest first ("reverse chronological
  order"), `limit` at a time (1 to 100,
  25 by default), with `total`, `count`, and a `nextUrl` and `previousUrl` that a client
  follows to walk the whole list in either direction: every verification type exactly once,
  no gaps, no repeats. `startingAfter` and `endingBefore` name the cursor; when both are
  given, `endingBefore` wins.
  Each company starts with one seeded verification type, its CRM default (VT-7RKX-OKQZ for
  the default test company), which is why these scenarios need the mock.
  Source: [peach-verification-types] § Get verification types; SUPPLEMENT.md
  (pagination, precedence); Peach's API reference, introduction (lists "return objects in
  reverse chronological order", contracts/NOTES.md § Vendor evidence > Peach).

  Background:
    Given the peach API
    And 7 verification types were created, remembered as vt_1 to vt_7

  Scenario Outline: Walking forwards, <limit> at a time
    When I page forwards through the verification types, <limit> at a time
    Then the pages held <pages> verification types
    And the walk saw "{vt_7}, {vt_6}, {vt_5}, {vt_4}, {vt_3}, {vt_2}, {vt_1}, VT-7RKX-OKQZ"
    And "$.nextUrl" is null
    And "$.total" is 8

    Examples:
      | limit | pages                  |
      | 1     | 1, 1, 1, 1, 1, 1, 1, 1 |
      | 2     | 2, 2, 2, 2             |
      | 3     | 3, 3, 2                |
      | 5     | 5, 3                   |
      | 7     | 7, 1                   |
      | 8     | 8                      |
      | 100   | 8                      |

  Scenario Outline: Walking backwards from the last page, <limit> at a time
    When I page backwards through the verification types, <limit> at a time
    Then the pages held <pages> verification types
    And the walk saw "{vt_7}, {vt_6}, {vt_5}, {vt_4}, {vt_3}, {vt_2}, {vt_1}, VT-7RKX-OKQZ"
    And "$.previousUrl" is null
    And "$.data[0].id" is "{vt_7}"

    Examples:
      | limit | pages                  |
      | 1     | 1, 1, 1, 1, 1, 1, 1, 1 |
      | 2     | 2, 2, 2, 2             |
      | 3     | 3, 3, 2                |
      | 5     | 5, 3                   |
      | 7     | 7, 1                   |
      | 8     | 8                      |

  Scenario: The first page knows the total and has no previous page
    When I send GET /verification-types?limit=3
    Then the response status is 200
    And "$.status" is 200
    And "$.total" is 8
    And "$.count" is 3
    And "$.data" has 3 items
    And "$.data[0].id" is "{vt_7}"
    And "$.data[1].id" is "{vt_6}"
    And "$.previousUrl" is null
    And "$.nextUrl" matches "/verification-types\?limit=3&startingAfter=VT-[A-Z0-9]{4}-[A-Z0-9]{4}$"
    When I follow "$.nextUrl"
    Then "$.data[0].id" is "{vt_4}"
    And "$.previousUrl" matches "/verification-types\?limit=3&endingBefore=VT-[A-Z0-9]{4}-[A-Z0-9]{4}$"

  Scenario: Without a limit, pages hold 25
    Given 20 verification types were created, remembered as more_1 to more_20
    When I send GET /verification-types
    Then "$.count" is 25
    And "$.total" is 28
    And "$.data[0].id" is "{more_20}"
    And "$.data[24].id" is "{vt_3}"
    When I follow "$.nextUrl"
    Then "$.count" is 3
    And "$.data[0].id" is "{vt_2}"
    And "$.data[2].id" is "VT-7RKX-OKQZ"
    And "$.nextUrl" is null

  Scenario Outline: A limit of <limit> is a 400
    When I send GET /verification-types?limit=<limit>
    Then the response status is 400
    And "$.errors[0].field" is "limit"

    Examples:
      | limit |
      | 0     |
      | 101   |
      | -5    |
      | ten   |

  Scenario Outline: A limit of <limit> is within range
    When I send GET /verification-types?limit=<limit>
    Then the response status is 200
    And "$.count" is <count>

    Examples:
      | limit | count |
      | 1     | 1     |
      | 100   | 8     |

  Scenario: startingAfter and endingBefore each name a cursor
    When I send GET /verification-types?limit=2&startingAfter={vt_5}
    Then "$.data[0].id" is "{vt_4}"
    And "$.data[1].id" is "{vt_3}"
    When I send GET /verification-types?limit=2&endingBefore={vt_5}
    Then "$.data[0].id" is "{vt_7}"
    And "$.data[1].id" is "{vt_6}"
    And "$.previousUrl" is null

  Scenario: When both cursors are given, endingBefore wins
    When I send GET /verification-types?limit=2&startingAfter={vt_6}&endingBefore={vt_2}
    Then the response status is 200
    And "$.data" has 2 items
    And "$.data[0].id" is "{vt_4}"
    And "$.data[1].id" is "{vt_3}"

  Scenario: A page after the last verification type is empty and leads back to the last page
    When I send GET /verification-types?limit=3&startingAfter=VT-7RKX-OKQZ
    Then the response status is 200
    And "$.count" is 0
    And "$.total" is 8
    And "$.nextUrl" is null
    When I follow "$.previousUrl"
    Then "$.data" has 3 items
    And "$.data[2].id" is "VT-7RKX-OKQZ"

  Scenario: A page before the first verification type is empty and leads to the first page
    When I send GET /verification-types?limit=3&endingBefore={vt_7}
    Then the response status is 200
    And "$.count" is 0
    And "$.previousUrl" is null
    When I follow "$.nextUrl"
    Then "$.data[0].id" is "{vt_7}"
    And "$.count" is 3

  @second-tenant
  Scenario: A cursor naming no verification type of this company is a 400
    When I send GET /verification-types?startingAfter=VT-ZZZZ-ZZZZ
    Then the response status is 400
    And "$.errors[0].field" is "startingAfter"
    # The second company's seeded type is as unknown here as a made-up id.
    When I send GET /verification-types?endingBefore=VT-2SEC-DFLT
    Then the response status is 400
    And "$.errors[0].field" is "endingBefore"

  Scenario: A malformed cursor is a 400
    When I send GET /verification-types?startingAfter=not-an-id
    Then the response status is 400
    And the request broke the contract with "pattern" at "/query/startingAfter"
