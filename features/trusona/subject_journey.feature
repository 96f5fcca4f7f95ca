@trusona @mock-only
Feature: The subject's journey to SCANNED
  The person being verified opens the link on their phone or computer and scans their
  document. Trusona records each device that opened the link, runs the requested verifiers
  against the records of the DMV and the phone's carrier, scores the risks and derives the
  overall risk. (The subject's pages are the mock's own, so this feature runs on the mock.)

  Seeded records: DMV D1234567 is Alex Rivera, born 01/02/1985, 100 Main St, 94105; DMV
  D7654321 is Jordan Lee, born 07/04/1990, 1 Oak Ave, 10001. Carrier: +12025550100 is Alex
  Rivera's phone; +12025550199 is Jordan Lee's, whose SIM was swapped recently.

  Scenario: Opening the link records the device
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    Given the subject uses the browser "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15" from 203.0.113.7
    When the subject opens the link "{link}" reporting "offsetMinutes=-420&browserTimeZone=America/Los_Angeles&displayWidth=1512&displayHeight=982"
    Then the response status is 200
    And "$.verificationId" is "{id}"
    And "$.status" is "WAITING"
    And I remember "$.deviceId" as device
    When I send GET /api/v1/verifications/{id}/devices
    Then the response status is 200
    And "$" has 1 item
    And "$[0].id" is "{device}"
    And "$[0].userAgent" is "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"
    And "$[0].browser" is "Safari"
    And "$[0].operatingSystem" is "macOS"
    And "$[0].platform" is "MacIntel"
    And "$[0].ipAddress" is "203.0.113.7"
    And "$[0].city" is "San Francisco"
    And "$[0].country" is "US"
    And "$[0].language" is "en-US"
    And "$[0].offsetMinutes" is -420
    And "$[0].browserTimeZone" is "America/Los_Angeles"
    And "$[0].displayWidth" is 1512
    And "$[0].epochMilliseconds" exists
    And "$[0].scannedDocument" is false
    When I send GET /api/v1/verifications/{id}
    Then "$.status" is "WAITING"
    And "$.devices" has 1 item

  Scenario: A scan that matches the DMV and the carrier is SCANNED with no risk
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [
        {"verifier": "DMV"}, {"verifier": "MNO_V", "phoneNumber": "+12025550100"}, {"verifier": "SCAN"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject opens the link "{link}"
    And the subject scans the document:
      """
      {"documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera",
       "dateOfBirth": "01/02/1985", "address1": "100 Main St", "zipCode": "94105",
       "city": "San Francisco", "state": "CA", "expiryDate": "01/02/2099",
       "documentType": "DL", "iso2CountryCode": "US"}
      """
    Then the response status is 200
    And "$.status" is "SCANNED"
    When I send GET /api/v1/verifications/{id}
    Then "$.status" is "SCANNED"
    And "$.overallRisk" is "NO"
    And "$.verifierChecks" has 3 items
    And "$.verifierChecks[0].verifier" is "DMV"
    And "$.verifierChecks[0].verifierResult" is "SUCCESS"
    And "$.verifierChecks[0].matches.dateOfBirth" is true
    And "$.verifierChecks[0].documentNumberSuffix" is "4567"
    And "$.verifierChecks[1].verifier" is "MNO_V"
    And "$.verifierChecks[1].verifierResult" is "SUCCESS"
    And "$.verifierChecks[1].matches.phoneNumber" is true
    And "$.verifierChecks[1].phoneNumberSuffix" is "0100"
    And "$.verifierChecks[2].verifier" is "SCAN"
    And "$.verifierChecks[2].verifierResult" is "SUCCESS"
    And "$.devices[0].scannedDocument" is true
    When I send GET /api/v1/verifications/{id}/risk_scores
    Then the response status is 200
    And "$" has 7 items
    And "$[?@.rule == 'DOCUMENT_EXPIRED'].score" is "NO"
    And "$[?@.rule == 'REQUIRED_FIELDS'].score" is "NO"
    And "$[?@.rule == 'MULTIPLE_DEVICES'].score" is "NO"
    And "$[?@.rule == 'AUTOMATED_BROWSER'].robotRule" is true
    And "$[?@.rule == 'DMV_CHECK'].ruleType" is "VERIFIER"
    And "$[?@.rule == 'DMV_CHECK'].score" is "NO"
    And "$[?@.rule == 'MNO_V_CHECK'].score" is "NO"

  Scenario: A DMV record that partly matches scores LOW and so does the overall risk
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "D7654321", "firstName": "Jordan", "lastName": "Lee",
       "dateOfBirth": "01/01/1991", "address1": "1 Oak Ave", "zipCode": "10001", "expiryDate": "07/04/2099"}
      """
    Then the response status is 200
    When I send GET /api/v1/verifications/{id}
    Then "$.verifierChecks[0].verifierResult" is "FAILURE"
    And "$.verifierChecks[0].matches.lastName" is true
    And "$.verifierChecks[0].matches.dateOfBirth" is false
    And "$.overallRisk" is "LOW"
    And "$.riskScores[?@.rule == 'DMV_CHECK'].score" is "LOW"
    And "$.riskScores[?@.rule == 'DMV_CHECK'].riskyFields" is ["dateOfBirth"]
    And "$.riskScores[?@.rule == 'DMV_CHECK'].verifier" is "DMV"

  Scenario: A document the DMV does not know scores HIGH
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "X0000000", "firstName": "Sam", "lastName": "Doe",
       "dateOfBirth": "03/03/1973", "expiryDate": "07/04/2099"}
      """
    And I send GET /api/v1/verifications/{id}
    Then "$.verifierChecks[0].matches.documentNumber" is false
    And "$.verifierChecks[0].matches.firstName" is null
    And "$.riskScores[?@.rule == 'DMV_CHECK'].score" is "HIGH"
    And "$.overallRisk" is "HIGH"

  Scenario: A SIM-swapped phone fails the MNO check and scores HIGH
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "MNO_V", "phoneNumber": "+12025550199"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "D7654321", "firstName": "Jordan", "lastName": "Lee",
       "dateOfBirth": "07/04/1990", "address1": "1 Oak Ave", "expiryDate": "07/04/2099"}
      """
    And I send GET /api/v1/verifications/{id}
    Then "$.verifierChecks[0].verifier" is "MNO_V"
    And "$.verifierChecks[0].verifierResult" is "FAILURE"
    And "$.verifierChecks[0].matches.lastName" is true
    And "$.riskScores[?@.rule == 'SIM_SWAP'].score" is "HIGH"
    And "$.riskScores[?@.rule == 'SIM_SWAP'].riskyFields" is ["phoneNumber"]
    And "$.overallRisk" is "HIGH"

  Scenario: An expired document scores HIGH on the scan
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT", "requestedVerifiers": [{"verifier": "SCAN"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "firstName": "Alex", "lastName": "Rivera",
       "dateOfBirth": "01/02/1985", "expiryDate": "01/01/2020"}
      """
    And I send GET /api/v1/verifications/{id}/risk_scores
    Then "$[?@.rule == 'DOCUMENT_EXPIRED'].score" is "HIGH"
    And "$[?@.rule == 'DOCUMENT_EXPIRED'].ruleType" is "SCAN"
    And "$[?@.rule == 'DOCUMENT_EXPIRED'].riskyFields" is ["expiryDate"]
    When I send GET /api/v1/verifications/{id}
    Then "$.verifierChecks[0].verifierResult" is "FAILURE"
    And "$.verifierChecks[0].matches.expiryDate" is false
    And "$.overallRisk" is "HIGH"

  Scenario: A scan missing core fields scores LOW
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "lastName": "Rivera", "expiryDate": "01/01/2099"}
      """
    And I send GET /api/v1/verifications/{id}/risk_scores
    Then "$[?@.rule == 'REQUIRED_FIELDS'].score" is "LOW"
    And "$[?@.rule == 'REQUIRED_FIELDS'].riskyFields" is ["firstName", "dateOfBirth"]
    When I send GET /api/v1/verifications/{id}
    Then "$.overallRisk" is "LOW"

  Scenario: A second device and an automated browser are risky devices
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject opens the link "{link}"
    And I remember "$.deviceId" as phone
    Given the subject uses the browser "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36" from 198.51.100.23
    When the subject opens the link "{link}"
    And I remember "$.deviceId" as robot
    Given the subject uses the browser "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1" from 203.0.113.7
    When the subject scans the document:
      """
      {"documentNumber": "P1234567", "firstName": "Alex", "lastName": "Rivera",
       "dateOfBirth": "01/02/1985", "expiryDate": "01/01/2099"}
      """
    Then "$.deviceId" is "{phone}"
    When I send GET /api/v1/verifications/{id}/devices
    Then "$" has 2 items
    And "$[0].scannedDocument" is true
    And "$[1].city" is "London"
    And "$[1].scannedDocument" is false
    When I send GET /api/v1/verifications/{id}/risk_scores
    Then "$[?@.rule == 'MULTIPLE_DEVICES'].score" is "LOW"
    And "$[?@.rule == 'MULTIPLE_DEVICES'].ruleType" is "DEVICE"
    And "$[?@.rule == 'MULTIPLE_DEVICES'].riskyDevices" is ["{robot}"]
    And "$[?@.rule == 'AUTOMATED_BROWSER'].score" is "HIGH"
    And "$[?@.rule == 'AUTOMATED_BROWSER'].robotRule" is true
    And "$[?@.rule == 'AUTOMATED_BROWSER'].riskyDevices" is ["{robot}"]
    When I send GET /api/v1/verifications/{id}
    Then "$.overallRisk" is "HIGH"

  Scenario: A DMV check of a document the DMV does not cover is FATAL
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT", "requestedVerifiers": [{"verifier": "DMV"}]}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "firstName": "Alex", "lastName": "Rivera",
       "dateOfBirth": "01/02/1985", "expiryDate": "01/01/2099"}
      """
    And I send GET /api/v1/verifications/{id}
    Then "$.verifierChecks[0].verifierResult" is "FATAL"
    And "$.riskScores[?@.rule == 'DMV_CHECK'].score" is "LOW"
    And "$.overallRisk" is "LOW"

  Scenario: A scan is read carefully, and only once
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I remember "$.linkUrl" as link
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "dateOfBirth": "1985-01-02"}
      """
    Then the response status is 400
    And "$.message" is "dateOfBirth must be a date as MM/DD/YYYY"
    When I send GET /api/v1/verifications/{id}
    Then "$.status" is "WAITING"
    And "$.devices" has 0 items
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "dateOfBirth": "01/02/1985"}
      """
    Then the response status is 200
    When the subject scans the document at "{link}":
      """
      {"documentNumber": "P1234567", "dateOfBirth": "01/02/1985"}
      """
    Then the response status is 409
    When the subject opens the link "{link}"
    Then the response status is 409

  Scenario: A link no verification has is not found
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.linkUrl" as link
    When the subject opens the link "{link}0"
    Then the response status is 404
    And "$.status" is 404
