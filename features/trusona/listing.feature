@trusona
Feature: List verifications since a point
  The business lists the verifications created or updated since a point, given as a
  verification id (those created after it), a date-time or a date, optionally up to `until`,
  a page of `count` at a time.

  @mock-only
  Scenario: Since a verification id, a date-time and a date
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as first
    And the mock clock advances 60 seconds
    And I send POST /api/v1/verifications
      """
      {"documentType": "UK_DL"}
      """
    And I remember "$.id" as second
    And I remember "$.createdAt" as second_created
    And the mock clock advances 60 seconds
    And I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as third
    When I send GET /api/v1/verifications?since={first}
    Then the response status is 200
    And "$" has 2 items
    And "$[0].id" is "{second}"
    And "$[1].id" is "{third}"
    When I send GET /api/v1/verifications?since={second_created}
    Then "$" has 2 items
    And "$[0].id" is "{second}"
    When I send GET /api/v1/verifications?since=2000-01-01
    Then "$" has 3 items
    And "$[0].id" is "{first}"
    When I send GET /api/v1/verifications?since=2999-01-01
    Then "$" has 0 items

  # Counts the account's whole list since 2000: needs the seeded, empty account.
  @mock-only
  Scenario: Until, count and page
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as first
    And I send POST /api/v1/verifications
      """
      {"documentType": "UK_DL"}
      """
    And I remember "$.id" as second
    And I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as third
    When I send GET /api/v1/verifications?since=2000-01-01&until={second}
    Then "$" has 2 items
    And "$[1].id" is "{second}"
    When I send GET /api/v1/verifications?since=2000-01-01&count=2
    Then "$" has 2 items
    And "$[0].id" is "{first}"
    When I send GET /api/v1/verifications?since=2000-01-01&count=2&page=1
    Then "$" has 1 item
    And "$[0].id" is "{third}"

  @mock-only
  Scenario: A verification updated since is listed too
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    And the mock clock advances 300 seconds
    And I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.createdAt" as later
    When I send GET /api/v1/verifications?since={later}
    Then "$" has 1 item
    When the subject opens the link "{link}"
    And I send GET /api/v1/verifications?since={later}
    Then "$" has 2 items
    And "$[0].id" is "{id}"

  Scenario: Verifications since a date-time include a new one
    # Since its own creation time, not a fixed date: on a target that is never reset the
    # account's whole history would fill the page.
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I remember "$.createdAt" as created
    When I send GET /api/v1/verifications?since={created}
    Then the response status is 200
    And "$[?@.id == '{id}'].status" is "WAITING"

  Scenario Outline: A since that is neither an id, a date-time nor a date is refused
    Given the trusona API
    When I send GET /api/v1/verifications?since=<since>
    Then the response status is 400
    And "$.message" is "Invalid since parameter"
    And the request broke the contract with "pattern" at "/query/since"

    Examples:
      | since                 |
      | yesterday             |
      | 01/02/2024            |
      | 2024-01-02T10:00:00   |
      | 12345                 |

  # Refusing these (rather than reading them leniently) is vouch's reading.
  @mock-only
  Scenario Outline: A since shaped right that names no real date is refused
    Given the trusona API
    When I send GET /api/v1/verifications?since=<since>
    Then the response status is 400
    And "$.message" is "Invalid since parameter"

    Examples:
      | since                                 |
      | 2024-13-45                            |
      | 2024-01-02T25:00:00Z                  |

  @mock-only
  Scenario: A since id of no verification of the account selects none
    Given the trusona API
    When I send GET /api/v1/verifications?since=0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c
    Then the response status is 200
    And "$" has 0 items

  Scenario: Since is required
    Given the trusona API
    When I send GET /api/v1/verifications
    Then the response status is 400
    And the request broke the contract with "parameter-required" at "/query/since"

  # The page documents a 500 without a cause and the mock never fails on its own, so only an
  # injected fault reaches it (contracts/NOTES.md § Trusona, Mock behaviour).
  @mock-only
  Scenario: An injected 500 comes in Trusona's error shape
    Given the trusona API
    And the mock injects the fault:
      """
      {"operationId": "getVerifications", "status": 500, "times": 1}
      """
    When I send GET /api/v1/verifications?since=2000-01-01
    Then the response status is 500
    And "$.status" is 500
    And the response header "x-vouch-fault" is "status 500"
    When I send GET /api/v1/verifications?since=2000-01-01
    Then the response status is 200
