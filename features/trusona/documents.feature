@trusona @mock-only
Feature: The scanned document and its images
  Once the subject has scanned, the business can read what the scan found, in full (UNMASKED)
  and with personal values masked (MASKED: a short prefix kept, the rest `*`), and the scanned
  images. Before the scan there is nothing (404); after the review access ends they are
  removed (410).

  Scenario: 404 before the scan, 200 after it, 410 once review access has ended
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    And I send GET /api/v1/verifications/{id}/document
    Then the response status is 404
    When I send GET /api/v1/verifications/{id}/document/scanned_images
    Then the response status is 404
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera",
       "dateOfBirth": "01/02/1985", "address1": "100 Main St", "zipCode": "94105",
       "city": "San Francisco", "state": "CA", "sex": "F", "expiryDate": "01/02/2031",
       "iso2CountryCode": "US",
       "images": [{"data": "ZnJvbnQ=", "orientation": 0}, {"data": "YmFjaw==", "orientation": 90}]}
      """
    And I send GET /api/v1/verifications/{id}/document
    Then the response status is 200
    And "$.UNMASKED.documentNumber" is "D1234567"
    And "$.UNMASKED.dateOfBirth" is "01/02/1985"
    And "$.UNMASKED.firstName" is "Alex"
    And "$.MASKED.documentNumber" is "D1******"
    And "$.MASKED.dateOfBirth" is "01********"
    And "$.MASKED.firstName" is "A***"
    And "$.MASKED.lastName" is "R*****"
    And "$.MASKED.address1" is "10*********"
    And "$.MASKED.zipCode" is "9****"
    And "$.MASKED.expiryDate" is "01********"
    And "$.MASKED.city" is "San Francisco"
    And "$.MASKED.state" is "CA"
    And "$.MASKED.iso2CountryCode" is "US"
    When I send GET /api/v1/verifications/{id}/document/scanned_images
    Then the response status is 200
    And "$" is [{"data": "ZnJvbnQ=", "orientation": 0}, {"data": "YmFjaw==", "orientation": 90}]
    When the mock clock advances 1800 seconds
    And I send GET /api/v1/verifications/{id}/document
    Then the response status is 410
    When I send GET /api/v1/verifications/{id}/document/scanned_images
    Then the response status is 410

  Scenario: A scan without images still has the scanned image
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    And the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "firstName": "Alex", "lastName": "Rivera", "dateOfBirth": "01/02/1985"}
      """
    And I send GET /api/v1/verifications/{id}/document/scanned_images
    Then "$" has 1 item
    And "$[0].orientation" is 0
    And "$[0].data" matches "^[A-Za-z0-9+/]+=*$"

  Scenario Outline: Images must be base64 and turned by a right angle
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.linkUrl" as link
    And the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "images": [<image>]}
      """
    Then the response status is 400
    And "$.message" is "<message>"

    Examples:
      | image                                 | message                                        |
      | {"data": "not base64!"}               | images[].data must be base64                   |
      | {"data": "ZnJvbnQ=", "orientation": 45} | images[].orientation must be 0, 90, 180 or 270 |

  Scenario: Another verification's document is not found
    Given the trusona API
    When I send GET /api/v1/verifications/0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c/document
    Then the response status is 404
    And "$.message" is "Verification not found"
