@trusona @mock-only
Feature: Devices and risk scores shaped like Trusona's published examples
  Every device answer fits both the page and Trusona's own API description
  (contracts/NOTES.md § Answers within every vendor source): what the description types as a
  number or string but the browser did not tell (`gpsLatitude`, `gpsLongitude`, `asn`) is left
  out, not null; what it requires (`origin`, `browserTimeZone`, `browserDateTime`) is the value
  the device's other members imply. Each risk score carries its `defaultScore`, the score before
  any rule overrides (the mock has none, so they are equal). (The subject's pages are the mock's
  own, so this feature runs on the mock.)

  Background:
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link

  Scenario: What a browser does not tell is left out, or implied where the description requires it
    Given the subject uses the browser "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1" from 192.0.2.1
    When the subject opens the link "{link}"
    And I send GET /api/v1/verifications/{id}/devices
    Then the response status is 200
    And "$[0].gpsLatitude" does not exist
    And "$[0].gpsLongitude" does not exist
    And "$[0].asn" does not exist
    And "$[0].origin" matches "^https?://[^/]+$"
    And "$[0].offsetMinutes" is 0
    And "$[0].browserTimeZone" is "UTC"
    And "$[0].browserDateTime" matches "^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+0000 \(Coordinated Universal Time\)$"
    And "$[0].ipAddress" is "192.0.2.1"

  Scenario: The browser's own offset sets the implied zone and local time
    Given the subject uses the browser "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1" from 192.0.2.1
    When the subject opens the link "{link}" reporting "offsetMinutes=420&epochMilliseconds=1778004000000"
    And I send GET /api/v1/verifications/{id}/devices
    Then "$[0].browserTimeZone" is "Etc/GMT+7"
    And "$[0].browserDateTime" is "Tue May 05 2026 11:00:00 GMT-0700"

  Scenario: What a browser tells is kept
    Given the subject uses the browser "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15" from 203.0.113.7
    When the subject opens the link "{link}" reporting "gpsLatitude=37.7749&gpsLongitude=-122.4194&origin=https://verify.example"
    And I send GET /api/v1/verifications/{id}/devices
    Then "$[0].origin" is "https://verify.example"
    And "$[0].gpsLatitude" is 37.7749
    And "$[0].gpsLongitude" is -122.4194
    And "$[0].asn" is "AS64500"

  Scenario: Every risk score carries its defaultScore
    When the subject opens the link "{link}"
    And the subject scans the document:
      """
      {"documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera",
       "dateOfBirth": "01/02/1985", "address1": "100 Main St", "zipCode": "94105",
       "expiryDate": "01/02/2020", "documentType": "DL", "iso2CountryCode": "US"}
      """
    And I send GET /api/v1/verifications/{id}/risk_scores
    Then the response status is 200
    And "$[?@.rule == 'DOCUMENT_EXPIRED'].score" is "HIGH"
    And "$[?@.rule == 'DOCUMENT_EXPIRED'].defaultScore" is "HIGH"
    And "$[?@.rule == 'MULTIPLE_DEVICES'].defaultScore" is "NO"
