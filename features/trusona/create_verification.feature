@trusona
Feature: Create a verification
  A business asks Trusona to verify a person: it names the identity document the person must
  scan and, optionally, verifiers to run and messages that carry the link to the person.
  Trusona answers with the whole verification: WAITING, the link, when the link and the review
  access expire (15 and 30 minutes), and the messages it already sent.

  Scenario: The smallest verification is WAITING with a 15-minute link and 30 minutes of review
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    Then the response status is 201
    And "$.status" is "WAITING"
    And "$.documentType" is "US_CA_DL"
    And "$.id" matches "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    And "$.linkUrl" exists
    And "$.workspaceLink" exists
    And "$.closed" is false
    And "$.expiredLinkUrlAccess" is false
    And "$.expiredReviewAccess" is false
    And I remember "$.createdAt" as created
    And "$.linkUrlExpiresAt" is 900 seconds after "{created}"
    And "$.reviewAccessExpiresAt" is 1800 seconds after "{created}"

  @mock-only
  Scenario: The link leads to the mock's own subject pages, and the verification can be read back
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT", "callbackUrl": "https://example.com/callback/1"}
      """
    Then the response status is 201
    And "$.linkUrl" matches "^http://127\.0\.0\.1:\d+(/__ns/[\w-]+)?/trusona/subject/[0-9a-f]{32}$"
    And "$.supportedVerifiers" is ["MNO_V", "SCAN"]
    And "$.overallRisk" is "NO"
    And "$.messages" has 0 items
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When I send GET /api/v1/verifications/{id}
    Then the response status is 200
    And "$.id" is "{id}"
    And "$.linkUrl" is "{link}"
    And "$.callbackUrl" is "https://example.com/callback/1"
    And "$.status" is "WAITING"

  Scenario: The client may choose the id, once
    Given the trusona API
    And a fresh id as chosen
    When I send POST /api/v1/verifications
      """
      {"id": "{chosen}", "documentType": "UK_DL"}
      """
    Then the response status is 201
    And "$.id" is "{chosen}"
    When I send POST /api/v1/verifications
      """
      {"id": "{chosen}", "documentType": "UK_DL"}
      """
    Then the response status is 400
    And "$.error" is "Bad Request"

  Scenario Outline: Each verifier, and all of them, are requested
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": <verifiers>}
      """
    Then the response status is 201
    And "$.requestedVerifiers" is <verifiers>
    And "$.status" is "WAITING"

    Examples:
      | verifiers                                                                                                   |
      | [{"verifier": "DMV"}]                                                                                       |
      | [{"verifier": "SCAN"}]                                                                                      |
      | [{"verifier": "MNO_V", "phoneNumber": "+12025550100"}]                                                      |
      | [{"verifier": "MNO_V", "phoneNumber": "+14165550123"}]                                                      |
      | [{"verifier": "MNO_V", "phoneNumber": "+447700900123"}]                                                     |
      | [{"verifier": "DMV"}, {"verifier": "MNO_V", "phoneNumber": "+12025550100"}, {"verifier": "SCAN"}]           |

  # Trusona's OpenAPI: MNO numbers may be formatted, and a missing country code is resolved
  # against the default countries (USA, Canada, UK); they are returned in E.164.
  Scenario Outline: An MNO number written another way is kept in E.164
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "MNO_V", "phoneNumber": "<phone>"}]}
      """
    Then the response status is 201
    And "$.requestedVerifiers[0].phoneNumber" is "<e164>"
    And I remember "$.id" as id
    When I send GET /api/v1/verifications/{id}
    Then "$.requestedVerifiers[0].phoneNumber" is "<e164>"

    Examples:
      | phone           | e164          |
      | (202) 555-0100  | +12025550100  |
      | 1-416-555-0123  | +14165550123  |
      | +44 7700 900123 | +447700900123 |
      | 07700 900123    | +447700900123 |

  Scenario Outline: An MNO number outside the USA, Canada and the UK is refused, however written
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "MNO_V", "phoneNumber": "<phone>"}]}
      """
    Then the response status is 400
    And "$.message" is "MNO_V needs a USA (+1), Canada (+1), or UK (+44) phoneNumber"

    Examples:
      | phone            |
      | 33612345678      |
      | 33 6 12 34 56 78 |

  # Sending real messages to fictional numbers is for the mock only.
  @mock-only
  Scenario: A formatted SMS number is sent to, and kept, in E.164
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "SMS", "phoneNumber": "1 (202) 555-0100"}]}
      """
    Then the response status is 201
    And "$.requestedMessages[0].phoneNumber" is "+12025550100"
    And "$.messages[0].recipient" is "+12025550100"

  # Sending real messages to fictional numbers is for the mock only.
  @mock-only
  Scenario Outline: Requested messages are sent with the verification
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedMessages": <messages>}
      """
    Then the response status is 201
    And "$.requestedMessages" is <messages>
    And "$.messages" has <count> items
    And "$.messages[0].channel" is "<channel>"
    And "$.messages[0].status" is "<status>"
    And "$.messages[0].createdAt" exists
    And I remember "$.id" as id
    When I send GET /api/v1/verifications/{id}/messages
    Then "$" has <count> items

    Examples:
      | messages                                                                                                  | count | channel     | status    |
      | [{"channel": "COPY"}]                                                                                     | 1     | COPY        | DELIVERED |
      | [{"channel": "SMS", "phoneNumber": "+12025550100"}]                                                       | 1     | SMS         | DELIVERED |
      | [{"channel": "EMAIL", "emailAddress": "alex@example.com"}]                                                | 1     | EMAIL       | DELIVERED |
      | [{"channel": "TRUSTED_SMS", "phoneNumber": "+12025550100"}]                                               | 1     | TRUSTED_SMS | DELIVERED |
      | [{"channel": "SMS", "phoneNumber": "+12025550100"}, {"channel": "EMAIL", "emailAddress": "a@example.com"}] | 2     | SMS         | DELIVERED |
      | [{"channel": "TRUSTED_SMS", "phoneNumber": "+12025550199"}, {"channel": "COPY"}]                          | 2     | TRUSTED_SMS | BLOCKED   |

  # +12025550199 is the mock's seeded SIM-swapped MNO record; a live service would also send
  # a real message.
  @mock-only
  Scenario: A trusted SMS to a SIM-swapped number is recorded but not sent
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL",
       "requestedMessages": [{"channel": "TRUSTED_SMS", "phoneNumber": "+12025550199"}]}
      """
    Then the response status is 201
    And "$.messages[0].simSwapped" is true
    And "$.messages[0].recipient" is "+12025550199"
    And "$.messages[0].status" is "BLOCKED"

  Scenario Outline: A request that breaks a rule is refused with 400
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      <body>
      """
    Then the response status is 400
    And "$.status" is 400
    And "$.error" is "Bad Request"
    And "$.path" is "/api/v1/verifications"
    And the request broke the contract with "<rule>" at "<pointer>"

    Examples:
      | body                                                                                                                | rule        | pointer                                   |
      | {}                                                                                                                  | required    | /body/documentType                        |
      | {"documentType": "DRIVERS_LICENSE"}                                                                                 | enum        | /body/documentType                        |
      | {"documentType": "US_CA_DL", "id": "not-a-uuid"}                                                                    | format      | /body/id                                  |
      | {"documentType": "US_CA_DL", "callbackUrl": "not a url"}                                                            | format      | /body/callbackUrl                         |
      | {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "LEXIS"}]}                                         | enum        | /body/requestedVerifiers/0/verifier       |
      | {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "MNO_V"}]}                                         | required    | /body/requestedVerifiers/0/phoneNumber    |
      | {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "MNO_V", "phoneNumber": "+33612345678"}]}          | pattern     | /body/requestedVerifiers/0/phoneNumber    |
      | {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "MNO_V", "phoneNumber": "+1202555010"}]}           | pattern     | /body/requestedVerifiers/0/phoneNumber    |
      | {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}, {"verifier": "DMV"}]}                      | uniqueItems | /body/requestedVerifiers                  |
      | {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "SMS"}]}                                             | required    | /body/requestedMessages/0/phoneNumber     |
      | {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "TRUSTED_SMS"}]}                                     | required    | /body/requestedMessages/0/phoneNumber     |
      | {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "EMAIL"}]}                                           | required    | /body/requestedMessages/0/emailAddress    |
      | {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "EMAIL", "emailAddress": "not-an-email"}]}           | format      | /body/requestedMessages/0/emailAddress    |
      | {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "FAX"}]}                                             | enum        | /body/requestedMessages/0/channel         |
      | {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "COPY"}, {"channel": "COPY"}]}                       | uniqueItems | /body/requestedMessages                   |
      | {"documentType": "US_CA_DL", "requestedMessages": [{"channel": "COPY"}, {"channel": "SMS", "phoneNumber": "+12025550100"}, {"channel": "EMAIL", "emailAddress": "a@example.com"}]} | maxItems | /body/requestedMessages |
