# Sending real messages to fictional numbers and addresses is for the mock only.
@trusona @mock-only
Feature: Messages carry the link to the subject
  The business can send the link by SMS, by e-mail, by a trusted SMS (refused when the phone's
  SIM was swapped recently) or take it to copy (COPY). Each account may send 5 messages a day;
  COPY sends nothing and is not counted. Once the link has lapsed, the document is scanned, or
  the verification is closed, no message can be added.

  Scenario Outline: A message on each channel
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I send POST /api/v1/verifications/{id}/messages
      """
      <message>
      """
    Then the response status is 201
    And "$.channel" is "<channel>"
    And "$.status" is "DELIVERED"
    And "$.recipient" <recipient>
    And "$.simSwapped" <sim_swapped>
    And I remember "$.id" as message_id
    When I send GET /api/v1/verifications/{id}/messages/{message_id}
    Then the response status is 200
    And "$.channel" is "<channel>"
    When I send GET /api/v1/verifications/{id}/messages
    Then "$" has 1 item
    And "$[0].id" is "{message_id}"

    Examples:
      | message                                                   | channel     | recipient                 | sim_swapped    |
      | {"channel": "SMS", "phoneNumber": "+12025550100"}         | SMS         | is "+12025550100"         | does not exist |
      | {"channel": "TRUSTED_SMS", "phoneNumber": "+12025550100"} | TRUSTED_SMS | is "+12025550100"         | is false       |
      | {"channel": "SMS", "phoneNumber": "+1 (202) 555-0100"}    | SMS         | is "+12025550100"         | does not exist |
      | {"channel": "TRUSTED_SMS", "phoneNumber": "1.202.555.0100"} | TRUSTED_SMS | is "+12025550100"       | is false       |
      | {"channel": "SMS", "phoneNumber": "44 7700 900123"}       | SMS         | is "+447700900123"        | does not exist |
      | {"channel": "EMAIL", "emailAddress": "alex@example.com"}  | EMAIL       | is "alex@example.com"     | does not exist |
      | {"channel": "COPY"}                                       | COPY        | does not exist            | does not exist |

  Scenario Outline: A message without its recipient is refused
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I send POST /api/v1/verifications/{id}/messages
      """
      <message>
      """
    Then the response status is 400
    And the request broke the contract with "<rule>" at "<pointer>"
    When I send GET /api/v1/verifications/{id}/messages
    Then "$" has 0 items

    Examples:
      | message                                                  | rule     | pointer            |
      | {"channel": "SMS"}                                       | required | /body/phoneNumber  |
      | {"channel": "TRUSTED_SMS", "emailAddress": "a@example.com"} | required | /body/phoneNumber  |
      | {"channel": "EMAIL", "phoneNumber": "+12025550100"}      | required | /body/emailAddress |
      | {"channel": "SMS", "phoneNumber": "07700 900123"}        | pattern  | /body/phoneNumber  |
      | {"channel": "SMS", "phoneNumber": "+1 202 555 0100 ext 7"} | pattern | /body/phoneNumber  |
      | {}                                                       | required | /body/channel      |

  # Trusona's OpenAPI: formatted numbers and a missing + are accepted, "a number sent without a
  # country code cannot be resolved and is rejected". A 10-digit North American number without
  # its 1 is such a number (contracts/NOTES.md § Vendor evidence (issue #14) › Trusona).
  Scenario Outline: A number without its country code is refused
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "<channel>", "phoneNumber": "<phone>"}
      """
    Then the response status is 400
    And "$.message" matches "^phoneNumber must be a phone number with its country code"
    When I send GET /api/v1/verifications/{id}/messages
    Then "$" has 0 items

    Examples:
      | channel     | phone          |
      | SMS         | 2025550100     |
      | TRUSTED_SMS | (202) 555-0100 |

  Scenario: A trusted SMS to a SIM-swapped number is refused with 422 and recorded as such
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "TRUSTED_SMS", "phoneNumber": "+12025550199"}
      """
    Then the response status is 422
    And "$.error" is "Unprocessable Entity"
    When I send GET /api/v1/verifications/{id}/messages
    Then "$" has 1 item
    And "$[0].channel" is "TRUSTED_SMS"
    And "$[0].simSwapped" is true
    And "$[0].status" is "BLOCKED"
    When I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "SMS", "phoneNumber": "+12025550199"}
      """
    Then the response status is 201

  Scenario: The account's quota is 5 messages a day; copying the link is not a message sent
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedMessages": [
        {"channel": "SMS", "phoneNumber": "+12025550100"}, {"channel": "EMAIL", "emailAddress": "a@example.com"}]}
      """
    And I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedMessages": [
        {"channel": "SMS", "phoneNumber": "+12025550100"}, {"channel": "EMAIL", "emailAddress": "a@example.com"}]}
      """
    And I remember "$.id" as id
    And I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "TRUSTED_SMS", "phoneNumber": "+12025550100"}
      """
    Then the response status is 201
    When I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "EMAIL", "emailAddress": "alex@example.com"}
      """
    Then the response status is 429
    And "$.message" is "Quota limit has been reached"
    And the response header "Retry-After" is "86400"
    When I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "COPY"}
      """
    Then the response status is 201
    When the mock clock advances 86400 seconds
    And I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as later
    And I send POST /api/v1/verifications/{later}/messages
      """
      {"channel": "EMAIL", "emailAddress": "alex@example.com"}
      """
    Then the response status is 201

  Scenario: No message once the link has lapsed
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And the mock clock advances 900 seconds
    And I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "SMS", "phoneNumber": "+12025550100"}
      """
    Then the response status is 410
    And "$.error" is "Gone"
    And "$.message" is "Messages can no longer be added to this verification (EXPIRED)"

  Scenario: No message once the document is scanned
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    And the subject scans the document at "{link}":
      """
      {"documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera", "dateOfBirth": "01/02/1985"}
      """
    And I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "COPY"}
      """
    Then the response status is 410

  Scenario: Unknown verifications and messages are not found
    Given the trusona API
    When I send POST /api/v1/verifications/0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c/messages
      """
      {"channel": "COPY"}
      """
    Then the response status is 404
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I send GET /api/v1/verifications/{id}/messages/0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c
    Then the response status is 404
    And "$.message" is "Verification or message were not found"
