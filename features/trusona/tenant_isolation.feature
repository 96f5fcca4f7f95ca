@trusona @second-tenant
Feature: Accounts do not see each other's verifications
  Each bearer JWT belongs to one Trusona account. Another account's verification answers
  exactly as an unknown one.

  Scenario: Another account's verification is not found anywhere
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT", "requestedMessages": [{"channel": "COPY"}]}
      """
    And I remember "$.id" as id
    And I remember "$.createdAt" as created
    And I remember "$.messages[0].id" as message_id
    Given I use the second tenant's credentials
    When I send GET /api/v1/verifications/{id}
    Then the response status is 404
    And "$.message" is "Verification not found"
    When I send GET /api/v1/verifications/{id}/devices
    Then the response status is 404
    When I send GET /api/v1/verifications/{id}/risk_scores
    Then the response status is 404
    When I send GET /api/v1/verifications/{id}/messages
    Then the response status is 404
    When I send GET /api/v1/verifications/{id}/messages/{message_id}
    Then the response status is 404
    When I send POST /api/v1/verifications/{id}/messages
      """
      {"channel": "COPY"}
      """
    Then the response status is 404
    When I send GET /api/v1/verifications/{id}/document
    Then the response status is 404
    When I send GET /api/v1/verifications/{id}/document/scanned_images
    Then the response status is 404
    When I send GET /api/v1/encrypted/verifications/{id}
    Then the response status is 404
    When I send GET /api/v1/verifications?since={created}
    Then the response status is 200
    And "$[?@.id == '{id}']" does not exist
    Given I use the default credentials
    When I send GET /api/v1/verifications/{id}
    Then the response status is 200
    When I send GET /api/v1/verifications?since={created}
    Then "$[?@.id == '{id}']" exists

  Scenario: A verification id chosen by one account is free for another, and since ids are per account
    Given the trusona API
    And a fresh id as chosen
    When I send POST /api/v1/verifications
      """
      {"id": "{chosen}", "documentType": "UK_DL"}
      """
    Then the response status is 201
    Given I use the second tenant's credentials
    When I send GET /api/v1/verifications?since={chosen}
    Then the response status is 200
    And "$" has 0 items
    When I send POST /api/v1/verifications
      """
      {"id": "{chosen}", "documentType": "PASSPORT"}
      """
    Then the response status is 201
    When I send GET /api/v1/verifications/{chosen}
    Then "$.documentType" is "PASSPORT"
