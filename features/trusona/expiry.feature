@trusona @mock-only
Feature: Link and review access expire
  The link works for 15 minutes after the verification is created; a verification nobody
  scanned by then is EXPIRED. The business can review it for 30 minutes; after that the
  verification is closed and its document and images are removed (410).

  Scenario: A link not used within 15 minutes lapses and the verification reads EXPIRED
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    And I remember "$.linkUrlExpiresAt" as link_expires
    And the mock clock advances 899 seconds
    And I send GET /api/v1/verifications/{id}
    Then "$.status" is "WAITING"
    And "$.expiredLinkUrlAccess" is false
    When the mock clock advances 1 second
    And I send GET /api/v1/verifications/{id}
    Then "$.status" is "EXPIRED"
    And "$.expiredLinkUrlAccess" is true
    And "$.expiredReviewAccess" is false
    And "$.closed" is false
    And "$.updatedAt" is "{link_expires}"
    When the subject opens the link "{link}"
    Then the response status is 410
    And "$.message" is "This verification link has expired"
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera", "dateOfBirth": "01/02/1985"}
      """
    Then the response status is 410
    When I send GET /api/v1/verifications/{id}
    Then "$.status" is "EXPIRED"
    And "$.devices" has 0 items
    When I send GET /api/v1/verifications/{id}/document
    Then the response status is 404

  Scenario: A scan just before the link lapses counts, and stays SCANNED
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    And the mock clock advances 899 seconds
    And the subject scans the document at "{link}":
      """
      {"documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera", "dateOfBirth": "01/02/1985"}
      """
    Then the response status is 200
    When the mock clock advances 60 seconds
    And I send GET /api/v1/verifications/{id}
    Then "$.status" is "SCANNED"
    And "$.expiredLinkUrlAccess" is true
    And "$.expiredReviewAccess" is false

  Scenario: Review access ends after 30 minutes: the verification is closed
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
    And the mock clock advances 1799 seconds
    And I send GET /api/v1/verifications/{id}
    Then "$.expiredReviewAccess" is false
    And "$.closed" is false
    When I send GET /api/v1/verifications/{id}/document/scanned_images
    Then the response status is 200
    When the mock clock advances 1 second
    And I send GET /api/v1/verifications/{id}
    Then "$.status" is "SCANNED"
    And "$.expiredReviewAccess" is true
    And "$.closed" is true
    When I send GET /api/v1/verifications/{id}/document
    Then the response status is 410
    And "$.error" is "Gone"
    When I send GET /api/v1/verifications/{id}/document/scanned_images
    Then the response status is 410
