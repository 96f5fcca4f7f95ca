@verified @v1
Feature: Trusted 1-Click Signup
  A brand that Verified has enabled for it verifies the user's phone itself and gets the
  user's data synchronously, with the 1-Click uuid to pass edits back later.
  ([verified-api-ref] § Trusted 1-Click)

  Background:
    Given the verified API

  Scenario: Phone and birth date match: the 1ClickEntity and its uuid come back
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01"}
      """
    Then the response status is 201
    And "$.uuid" matches "^[0-9a-f-]{36}$"
    And "$.identifiers.phone" is "+10123456789"
    And "$.credentials.fullName.firstName" is "Richard"
    And "$.credentials.address.city" exists
    And "$.credentials.birthDate" is "617976000000"
    And "$.metadata.credentials.status.birthDate" is "valid"
    When I remember "$.uuid" as one_click
    And I send GET /1-click/{one_click}
    Then the response status is 200
    And "$.credentials.fullName.lastName" is "Hendricks"

  Scenario: Either phone of the test user works, with the credentials asked for
    When I send POST /1-click/trusted
      """
      {"phone": "+550123456789", "birthDate": "1989-08-01", "credentialRequests": [{"type": "EmailCredential", "multi": true}]}
      """
    Then the response status is 201
    And "$.identifiers.phone" is "+550123456789"
    # Both documented e-mails; another scenario may add one for a while (user_credentials).
    And "$.credentials.email[?@ == 'richard@piedpiper.net']" exists
    And "$.credentials.email[?@ == 'richard@hooli.com']" exists
    And "$.credentials.ssn" does not exist

  Scenario: A birth date that does not match is OCE012
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-02"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE012"

  Scenario: The birth date is required
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE011"
    And "$.data.additionalInputs" is ["birthDate"]

  Scenario: An unknown phone is OCE004
    When I send POST /1-click/trusted
      """
      {"phone": "+10000000001", "birthDate": "1989-08-01"}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE004"

  Scenario: No credential of the kinds asked for is OCE013
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01", "credentialRequests": [{"type": "GovernmentIdCredential"}]}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE013"

  Scenario: A mandatory credential the user does not have is OCE007
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01",
       "credentialRequests": [{"type": "FullNameCredential"}, {"type": "EmployerCredential", "mandatory": "yes"}]}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE007"

  @second-tenant
  Scenario: A brand not enabled for trusted 1-Click is refused (OCE020)
    Given I use the second tenant's credentials
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01"}
      """
    Then the response status is 403
    And "$.name" is "Forbidden"
    And "$.data.errorCode" is "OCE020"
