"""The flows scripts/generated-clients-drive.py runs: one per API, each calling every operation
the API's generated client exposes, in a business's order, with the mock's test users and keys.
Request bodies are built with the generated request models (`from_dict`), as a client's user would.
"""

import importlib
from uuid import UUID

# RFC 7517 Appendix A.1, the example EC P-256 public key: a valid point, so the mock encrypts to
# it. Nothing here decrypts (tests/jwe_interop.rs does, with jwcrypto): the answer must parse.
RFC7517_EC_PUBLIC_KEY = {
    "kty": "EC", "crv": "P-256", "use": "enc", "kid": "1",
    "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
    "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
}

# features/trusona/README.md § Seeded records: DMV D1234567 and the carrier's +12025550100 are
# Alex Rivera's, so every verifier answers SUCCESS; +12025550199 is Jordan Lee's, SIM swapped.
ALEX_SCAN = {
    "documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera",
    "dateOfBirth": "01/02/1985", "address1": "100 Main St", "zipCode": "94105",
    "city": "San Francisco", "state": "CA", "sex": "F", "expiryDate": "01/02/2031",
    "documentType": "DL", "iso2CountryCode": "US",
    "images": [{"data": "ZnJvbnQ=", "orientation": 0}, {"data": "YmFjaw==", "orientation": 90}],
}
PHONE_BROWSER = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1")
DESKTOP_BROWSER = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 "
                   "(KHTML, like Gecko) Version/17.0 Safari/605.1.15")


def modules(package: str, *names: str):
    return [importlib.import_module(f"{package}.{name}") for name in names]


def trusona(d):
    p = "trusona_client"
    token = next(iter(d.credentials["trusona"].values()))
    d.open("trusona", p, token)
    (get_verifications, create_verification, get_verification) = modules(
        p, "api.verifications.get_verifications", "api.verifications.create_verification",
        "api.verifications.get_verification")
    get_messages, create_message, get_message = modules(
        p, "api.messages.get_messages", "api.messages.create_message", "api.messages.get_message")
    get_devices, = modules(p, "api.devices.get_devices")
    get_risk_scores, = modules(p, "api.risk_scores.get_risk_scores")
    get_document, get_scanned_images = modules(
        p, "api.documents.get_document", "api.documents.get_scanned_images")
    create_encrypted, get_encrypted, get_encrypted_document = modules(
        p, "api.encrypted_verifications.create_encrypted_verification",
        "api.encrypted_verifications.get_encrypted_verification",
        "api.encrypted_verifications.get_encrypted_document")
    models = importlib.import_module(f"{p}.models")
    call = d.call

    def create(body):
        return call("trusona", "createVerification", create_verification.sync_detailed,
                    body=models.CreateVerificationDto.from_dict(body))

    # The business asks Alex Rivera to verify: DMV, the carrier and the scan.
    first = create({"documentType": "US_CA_DL", "requestedVerifiers": [
        {"verifier": "DMV"}, {"verifier": "MNO_V", "phoneNumber": "+12025550100"},
        {"verifier": "SCAN"}]})
    if first is None:
        return
    vid = first.id
    call("trusona", "getVerification", get_verification.sync_detailed, verification_id=vid)
    # Reminders by SMS and e-mail while the link is open, then read back.
    sms = call("trusona", "createMessage", create_message.sync_detailed, verification_id=vid,
               body=models.RequestedSmsMessage.from_dict(
                   {"channel": "SMS", "phoneNumber": "+12025550100"}))
    call("trusona", "createMessage", create_message.sync_detailed, verification_id=vid,
         body=models.RequestedEmailMessage.from_dict(
             {"channel": "EMAIL", "emailAddress": "alex.rivera@example.com"}))
    call("trusona", "getMessages", get_messages.sync_detailed, verification_id=vid)
    if sms is not None:
        call("trusona", "getMessage", get_message.sync_detailed, verification_id=vid,
             verification_message_id=sms.id)
    # Nothing scanned yet: the document and images answer 404.
    call("trusona", "getDocument", get_document.sync_detailed, verification_id=vid)
    call("trusona", "getScannedImages", get_scanned_images.sync_detailed, verification_id=vid)
    # Alex opens the link on a phone (its browser reports its clock) and on a desktop (whose
    # browser reports nothing), then scans the licence. Browsers always send Accept-Language.
    link = first.link_url
    phone = {"User-Agent": PHONE_BROWSER, "X-Forwarded-For": "203.0.113.7",
             "Accept-Language": "en-US"}
    d.subject("GET", link, headers=phone, params={
        "offsetMinutes": "420", "browserTimeZone": "America/Los_Angeles",
        "browserDateTime": "Tue May 05 2026 11:00:00 GMT-0700 (Pacific Daylight Time)"})
    d.subject("GET", link, headers={"User-Agent": DESKTOP_BROWSER, "Accept-Language": "en-GB",
                                    "X-Forwarded-For": "198.51.100.23"})
    d.subject("POST", f"{link}/scan", json=ALEX_SCAN, headers=phone)
    # The business reads everything back.
    for operation, module in [("getVerification", get_verification), ("getDevices", get_devices),
                              ("getRiskScores", get_risk_scores), ("getDocument", get_document),
                              ("getScannedImages", get_scanned_images),
                              ("getMessages", get_messages)]:
        call("trusona", operation, module.sync_detailed, verification_id=vid)
    # A second subject, Jordan Lee, whose SIM was swapped: the carrier check fails (HIGH risk).
    second = create({"documentType": "US_CA_DL", "requestedVerifiers": [
        {"verifier": "MNO_V", "phoneNumber": "+12025550199"}]})
    if second is not None:
        call("trusona", "createMessage", create_message.sync_detailed, verification_id=second.id,
             body=models.RequestedTrustedSmsMessage.from_dict(
                 {"channel": "TRUSTED_SMS", "phoneNumber": "+12025550199"}))
        call("trusona", "getRiskScores", get_risk_scores.sync_detailed,
             verification_id=second.id)
    # The business lists what changed since the first verification, and since today.
    call("trusona", "getVerifications", get_verifications.sync_detailed, since=str(vid))
    today = d.admin("GET", "/clock")["now"][:10]
    call("trusona", "getVerifications", get_verifications.sync_detailed, since=today, count=10)
    # The same with the answers encrypted to the business's key.
    encrypted = call("trusona", "createEncryptedVerification", create_encrypted.sync_detailed,
                     body=models.CreateEncryptedVerificationDto.from_dict({
                         "documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}],
                         "publicWebKey": RFC7517_EC_PUBLIC_KEY}))
    if encrypted is None:
        return
    eid = UUID(str(encrypted.id))
    call("trusona", "getEncryptedVerification", get_encrypted.sync_detailed, verification_id=eid)
    verification = call("trusona", "getVerification", get_verification.sync_detailed,
                        verification_id=eid)
    if verification is not None:
        d.subject("GET", verification.link_url, headers=phone, params={
            "offsetMinutes": "420", "browserTimeZone": "America/Los_Angeles"})
        d.subject("POST", f"{verification.link_url}/scan", json=ALEX_SCAN, headers=phone)
    call("trusona", "getEncryptedDocument", get_encrypted_document.sync_detailed,
         verification_id=eid)
    call("trusona", "getEncryptedVerification", get_encrypted.sync_detailed, verification_id=eid)


def truework(d):
    """Truework's later description (api-evangelist/truework openapi/truework-beta-openapi.yml)
    describes qualification checks and tenant properties only, which vouch neither contracts nor
    mocks: each call reaches the mock's unknown path (listed as not-served)."""
    p = "truework_client"
    token = d.credentials["truework"]["vouch-test-account"]
    d.open("truework", p, token)
    (create_check, get_check, get_sets) = modules(
        p, "api.subpackage_qualification_checks.create_new_qualification_check",
        "api.subpackage_qualification_checks.get_one_qualification_check",
        "api.subpackage_qualification_checks.get_all_qualification_check_sets")
    (create_property, get_properties, get_property, update_property) = modules(
        p, "api.subpackage_tenant_properties.create_new_tenant_property",
        "api.subpackage_tenant_properties.get_all_tenant_properties",
        "api.subpackage_tenant_properties.get_one_tenant_property",
        "api.subpackage_tenant_properties.update_one_tenant_property")
    models = importlib.import_module(f"{p}.models")
    auth = {"authorization": f"Bearer {token}"}
    call = d.call
    call("truework", "get-all-qualification-check-sets", get_sets.sync_detailed, **auth)
    call("truework", "create-new-qualification-check", create_check.sync_detailed, **auth,
         body=models.QualificationCheckCreatePostRequestV20231030.from_dict({
             "qualification_check_set_id": "qcs_vouch", "property_details": {"rent": 1800}}))
    call("truework", "get-one-qualification-check", get_check.sync_detailed, **auth,
         qualification_check_result_id="qcr_vouch")
    call("truework", "create-new-tenant-property", create_property.sync_detailed, **auth,
         body=models.TenantPropertyCreatePostRequestV20231030.from_dict(
             {"name": "Oak Apartments", "city": "Oakland", "state": "CA"}))
    call("truework", "get-all-tenant-properties", get_properties.sync_detailed, **auth)
    call("truework", "get-one-tenant-property", get_property.sync_detailed, **auth,
         tenant_property_id="tp_vouch")
    call("truework", "update-one-tenant-property", update_property.sync_detailed, **auth,
         tenant_property_id="tp_vouch",
         body=models.TenantPropertyUpdatePutRequestV20231030.from_dict({"name": "Oak Apts"}))


def verified(d):
    """Verified's Postman export as OpenAPI 3.0 (VerifiedInc/VerifiedInc.github.io
    api/specs/api.json): the core service's issue, match and patch calls, and the schema
    resolver's (another service vouch does not mock: not-served)."""
    p = "verified_client"
    # README § The mock: Hooli's key, the documented sandbox key, sent bare as the page shows.
    key = d.credentials["verified"]["hooli"]
    d.open("verified", p, key, prefix="")
    suite, core, resolver = "api.integration_test_suite", "api.core_service", "api.schema_resolver"
    (issue, has_matching, patch_tester) = modules(
        p, f"{suite}.credentials", f"{suite}.hasmatchingcredentials", f"{suite}.usercredentials2")
    (patch_credential, patch_user) = modules(p, f"{core}.credentials1", f"{core}.usercredentials")
    models = importlib.import_module(f"{p}.models")
    call = d.call
    # The export's integration test user, and a user of our own, get credentials issued.
    for email in ["tester@verified.inc", "jane.roe@example.com"]:
        call("verified", "credentials", issue.sync_detailed,
             body=models.CredentialsBody.from_dict({"email": email, "credentials": [
                 {"type": "EmailCredential", "data": {"email": email}},
                 {"type": "FullNameCredential",
                  "data": {"firstName": "Jane", "lastName": "Roe"}}]}))
    call("verified", "hasmatchingcredentials", has_matching.sync_detailed,
         body=models.HasmatchingcredentialsBody.from_dict({
             "email": "jane.roe@example.com",
             "credentialRequests": [{"type": "EmailCredential", "mandatory": "yes"}]}))
    call("verified", "hasmatchingcredentials", has_matching.sync_detailed,
         body=models.HasmatchingcredentialsBody.from_dict({
             "email": "nobody@example.com", "credentialRequests": [{"type": "EmailCredential"}]}))
    # The export's path holds the credential id it recorded in 2023; the mock never issued it.
    call("verified", "credentials1", patch_credential.sync_detailed,
         body=models.Credentials1Body.from_dict({"status": "revoked"}))
    call("verified", "usercredentials2", patch_tester.sync_detailed,
         body=models.Usercredentials2Body.from_dict({"status": "revoked"}))
    call("verified", "usercredentials", patch_user.sync_detailed,
         random_email="jane.roe@example.com",
         body=models.UsercredentialsBody.from_dict({"status": "revoked"}))
    for operation, name in [("allSchemas", "all_schemas"), ("schemaByType", "schema_by_type"),
                            ("entireContext", "entire_context"),
                            ("particularContext", "particular_context"),
                            ("schemaattributes", "schemaattributes"),
                            ("schemapresentation", "schemapresentation"),
                            ("serviceHealthCheck", "service_health_check")]:
        module, = modules(p, f"{resolver}.{name}")
        call("verified", operation, module.sync_detailed)
