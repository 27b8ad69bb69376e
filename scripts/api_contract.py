"""The API's contract test (issue 17): on a running Steward (development mode, so that the
Mailbox gives the sign-up link), sign up an agency, make a few client accounts and an Admin API
key through the pages' server functions, then run schemathesis against the served OpenAPI
document with that key. Every generated request must get an answer that matches the document,
and none a 5xx.

    python3 scripts/api_contract.py http://127.0.0.1:PORT [schemathesis options...]
"""
import http.cookiejar
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def call(fn, **form):
    req = urllib.request.Request(
        f"{base}/api/{fn}",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with opener.open(req) as res:
        body = res.read()
        return json.loads(body) if body else None


email = f"contract.{int(time.time() * 1000)}@example.com"
call("sign_up", first_name="Con", last_name="Tract", email=email,
     password="correct horse battery", account_name="Contract Agency")
link = next(m["link"] for m in call("mailbox") if m.get("link") and "/signup/confirm/" in m["link"])
call("confirm_sign_up", token=link.rsplit("/", 1)[1])
for i in range(3):
    call("create_client_account", name=f"Contract client {i}", level="basic", cms_plan="none",
         payer="client", login_email=f"client{i}.{email}", data="blank")
# Team users besides the primary admin (whom nobody may delete), a sandbox and a template of
# it, so that the generated calls also meet records they may change.
for i in range(3):
    call("save_user", first_name=f"Team{i}", last_name="Member", email=f"team{i}.{email}",
         password="correct horse battery")
call("create_client_account", name="Contract sandbox", level="basic", cms_plan="none",
     payer="agency", login_email=f"sandbox.{email}", data="blank", sandbox="on")
sandbox = call("templates")["sandboxes"][0]["id"]
call("convert_to_template", sandbox=sandbox, name="Contract template")
admin = next(r["id"] for r in call("api_keys")["roles"] if r["name"] == "Admin")
builder = next(r["id"] for r in call("api_keys")["roles"] if r["name"] == "Builder")
call("invite_account_manager", email=f"agency.{email}", role=builder)
key = call("create_api_key", name="Contract test", role=admin, expires="30")["key"]

cmd = ["schemathesis", "run", f"{base}/api/openapi.json", "-H", f"Authorization: Bearer {key}",
       *(sys.argv[2:] or ["--checks", "all"])]
print("==>", " ".join(c if not c.startswith("Authorization") else "Authorization: Bearer <key>" for c in cmd), flush=True)
sys.exit(subprocess.call(cmd))
