@verified @v1
Feature: Updating 1-Click credentials
  After a non-hosted or trusted 1-Click the user may correct their data in the brand's own
  form; the brand passes the corrections back with the 1-Click uuid, in the same simplified
  format it received, and gets the verbose credential list with 201.
  ([verified-api-ref] § Update 1-Click Credentials)

  Background:
    Given the verified API
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01"}
      """
    And I remember "$.uuid" as one_click

  Scenario: Corrections come back as self-attested credentials
    When I send POST /1-click/{one_click}/credentials
      """
      {"uuid": "{one_click}", "credentials": {"fullName": {"firstName": "Dick", "lastName": "Hendricks"}, "ssn": "111111110", "email": "richard@example.com"}}
      """
    Then the response status is 201
    And "$" has 3 items
    And "$[0].type" is "FullNameCredential"
    And "$[0].verificationMethod" is "self_attested"
    And "$[0].data[0].type" is "FirstNameCredential"
    And "$[0].data[0].data.firstName" is "Dick"
    And "$[1].type" is "EmailCredential"
    And "$[1].data.email" is "richard@example.com"
    And "$[2].type" is "SsnCredential"

  Scenario: A non-hosted 1-Click can be updated too
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false, "birthDate": "1989-08-01"}
      """
    And I remember "$.uuid" as non_hosted
    And I send POST /1-click/{non_hosted}/credentials
      """
      {"credentials": {"address": {"line2": "Apt 1"}}}
      """
    Then the response status is 201
    And "$[0].type" is "AddressCredential"
    And "$[0].data[?@.type == 'Line2Credential'].data.line2" is "Apt 1"
    When I send GET /1-click/{non_hosted}
    Then "$.credentials.address.line2" is "Apt 1"
    And "$.credentials.address.line1" is "5320 Newell Rd"

  Scenario: The 1-Click answers the corrected data afterwards
    When I send POST /1-click/{one_click}/credentials
      """
      {"credentials": {"email": "richard@example.com", "birthDate": "618062400000"}}
      """
    And I send GET /1-click/{one_click}
    Then "$.credentials.email" is "richard@example.com"
    And "$.credentials.birthDate" is "618062400000"
    And "$.metadata.credentials.verificationMethod.email" is "self_attested"
    And "$.credentials.fullName.firstName" is "Richard"

  Scenario: A corrected value must have its credential's format
    When I send POST /1-click/{one_click}/credentials
      """
      {"credentials": {"ssn": "12345"}}
      """
    Then the response status is 400
    And the request broke the contract with "pattern" at "/body/credentials/ssn"
    And "$.data.errorCode" is "ERR001"

  Scenario: Only credentials that were asked for can be corrected
    When I send POST /1-click/{one_click}/credentials
      """
      {"credentials": {"nationality": "US"}}
      """
    Then the response status is 400

  Scenario: The uuid in the body must be the one in the path
    When I send POST /1-click/{one_click}/credentials
      """
      {"uuid": "{uuid}", "credentials": {"ssn": "111111110"}}
      """
    Then the response status is 400
    And "$.data.errorCode" is "ERR001"

  Scenario: An unknown 1-Click uuid is OCE015
    When I send POST /1-click/{uuid}/credentials
      """
      {"credentials": {"ssn": "111111110"}}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"

  @mock-only
  Scenario: A hosted 1-Click cannot be updated (OCE001)
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials
    And the user is sent back to "https://hooli.example/verified/callback" with a 1ClickUuid
    And I send POST /1-click/{one_click_uuid}/credentials
      """
      {"credentials": {"ssn": "111111110"}}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE001"
    And "$.message" is "Only non-hosted and trusted 1-Clicks can be updated"

  @mock-only
  Scenario: Updates end with the 5-minute retrieval window
    When the mock clock advances 301 seconds
    And I send POST /1-click/{one_click}/credentials
      """
      {"credentials": {"ssn": "111111110"}}
      """
    Then the response status is 410
    And "$.data.errorCode" is "OCE014"
