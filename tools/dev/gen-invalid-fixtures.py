# Regenerates test/fixtures/invalid/ from the cases below: python3 tools/dev/gen-invalid-fixtures.py
# Writes test/fixtures/invalid/*.yaml. Each case marks the faulting spot with
# «fragment» placed right before the token at fault; the marker is removed and
# its position becomes the expectation in the first line.
import re, os
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../test/fixtures'))
OUT = 'invalid'
HEAD = "version: 1\nfleet: t\ndefaults:\n  region: nyc3\n  size: s-1vcpu-1gb\n  image: ubuntu-24-04-x64\naccounts:\n  a:\n    token_env: DO_A\n"
GROUPS = "groups:\n  web:\n    count: 2\n"
SCRIPTS = "scripts:\n  s:\n    on: [web]\n    run: echo hi\n"
cases = {}
def case(name, text): cases[name] = text
B = HEAD + GROUPS
case('empty-file', '«is empty»')
case('only-comments', '«is empty»# nothing here\n')
case('tab-indent', "version: 1\nfleet: t\ngroups:\n  web:\n«tab»\tcount: 2\n")
case('unclosed-quote', 'version: 1\nfleet: «unclosed»"abc\ngroups: {}\n')
case('bad-indent', "version: 1\nfleet: t\ngroups:\n  web:\n    count: 2\n   «indentation»size: x\n")
case('duplicate-key', HEAD + "groups:\n  web:\n    count: 2\n    «duplicate key»count: 3\n")
case('duplicate-group', HEAD + "groups:\n  web:\n    count: 2\n  «duplicate key»web:\n    count: 3\n")
case('not-mapping', "«must be a mapping»- a\n- b\n")
case('missing-version', "«missing the required key 'version'»fleet: t\n")
case('missing-fleet', "«missing the required key 'fleet'»version: 1\n")
case('unsupported-version', "version: «supports version 1»2\nfleet: t\n")
case('version-string', "version: «supports version 1»'one'\nfleet: t\n")
case('bad-fleet-name', "version: 1\nfleet: «DigitalOcean accepts»My_Fleet\n")
case('fleet-name-too-long', "version: 1\nfleet: «DigitalOcean accepts»abcdefghijklmnopqrstuvwxyzabcdefghij\n")
case('unknown-top-key', "version: 1\nfleet: t\n«did you mean 'groups'»gropus: {}\n")
case('misspelled-group-key', B.replace("    count: 2\n", "    count: 2\n    «did you mean 'region'»regoin: nyc3\n"))
case('misspelled-script-key', B + "scripts:\n  s:\n    on: [web]\n    «did you mean 'run'»rnu: echo\n")
case('token-in-file', HEAD.replace("    token_env: DO_A\n", "    token_env: DO_A\n    «token_env»token: s3cr3tvalue\n") + GROUPS)
case('token-as-token-env', HEAD.replace("token_env: DO_A", "token_env: «looks like a token»dop_v1_aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111") + GROUPS)
case('count-negative', HEAD + "groups:\n  web:\n    count: «at least 0»-1\n")
case('count-float', HEAD + "groups:\n  web:\n    count: «must be an integer»2.5\n")
case('count-string', HEAD + "groups:\n  web:\n    count: «must be an integer»many\n")
case('count-missing', HEAD + "groups:\n  «missing the required key 'count'»web:\n    size: s-1vcpu-1gb\n")
case('unknown-account', HEAD + "groups:\n  web:\n    count: 2\n    accounts: [«unknown account 'b'»b]\n")
case('unknown-group', B + "scripts:\n  s:\n    on: [«did you mean 'web'»wbe]\n    run: x\n")
case('run-and-file', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    «both run and file»file: ../files/ok.sh\n")
case('neither-run-nor-file', B + "scripts:\n  «add run (inline) or file»s:\n    on: [web]\n")
case('script-file-missing', B + "scripts:\n  s:\n    on: [web]\n    file: «does not exist»./nope.sh\n")
case('user-data-missing', HEAD + "groups:\n  web:\n    count: 2\n    user_data: «does not exist»./cloud-init.yaml\n")
case('upload-missing', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    upload:\n      - src: «does not exist»./missing-dir/\n        dest: /opt/x/\n")
case('after-unknown', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    after: [«unknown script 'boot'»boot]\n")
case('after-self', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    after: [«after itself»s]\n")
case('after-cycle', B + "scripts:\n  a:\n    on: [web]\n    run: x\n    after: [c]\n  b:\n    on: [web]\n    run: x\n    after: [«a -> c -> b -> a»a]\n  c:\n    on: [web]\n    run: x\n    after: [b]\n")
case('bad-duration', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    timeout: «not a duration»10 minutes\n")
case('bad-connect-timeout', "version: 1\nfleet: t\nssh:\n  connect_timeout: «not a duration»20\n")
case('bad-percent', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    max_parallel: «percentage from 0% to 100%»150%\n")
case('percent-fraction-over', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    max_failures: «out of range»100.5%\n")
case('max-parallel-zero', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    max_parallel: «at least one host»0\n")
case('cron-fields', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    when: {schedule: «needs five»\"* * *\"}\n")
case('cron-range', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    when: {schedule: «out of range 0-23»\"0 24 * * *\"}\n")
case('cron-garbage', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    when: {schedule: «not a number»\"0 x? * * *\"}\n")
case('bad-when', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    when: «must be one of on-change»sometimes\n")
case('bad-group-name', HEAD + "groups:\n  «DigitalOcean accepts»Web_Servers:\n    count: 1\n")
case('bad-account-name', "version: 1\nfleet: t\naccounts:\n  «DigitalOcean accepts»Alpha:\n    token_env: X\n")
case('droplet-name-too-long', "version: 1\nfleet: abcdefghijklmnopqrstuvwxyzabcde\ndefaults: {region: nyc3, size: s-1, image: img}\naccounts:\n  a: {token_env: A}\ngroups:\n  «63»abcdefghijklmnopqrstuvwxyzabcde:\n    count: 1000\n")
case('no-region', "version: 1\nfleet: t\naccounts:\n  a: {token_env: A}\ngroups:\n  «has no region»web:\n    count: 1\n    size: s-1\n    image: img\n")
case('bad-region', HEAD + "groups:\n  web:\n    count: 1\n    region: [nyc3, «region slug»New York]\n")
case('wrong-type-tags', HEAD + "groups:\n  web:\n    count: 1\n    tags: «must be a list»crawler\n")
case('wrong-type-monitoring', HEAD + "groups:\n  web:\n    count: 1\n    monitoring: «must be a boolean»'yes'\n")
case('bad-tag', HEAD + "groups:\n  web:\n    count: 1\n    tags: [«not a DigitalOcean tag»has space]\n")
case('bad-api-url', HEAD.replace("    token_env: DO_A\n", "    token_env: DO_A\n    api_url: «http:// or https://»localhost:8787\n") + GROUPS)
case('empty-on', B + "scripts:\n  s:\n    on: «must not be empty»[]\n    run: x\n")
case('all-combined', B + "scripts:\n  s:\n    on: [web, «cannot be combined»all]\n    run: x\n")
case('bad-interpreter', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    interpreter: «absolute path»bash\n")
case('bad-env-name', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    env:\n      «environment variable name '1BAD' is not valid»1BAD: x\n")
case('no-accounts', "version: 1\nfleet: t\naccounts: «at least one account»{}\n")
case('sync-missing-dest', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    collect:\n      - «missing the required key 'dest'»src: /opt/out/\n")
case('negative-retries', B + "scripts:\n  s:\n    on: [web]\n    run: x\n    retries: «at least 0»-2\n")
case('ssh-port-range', "version: 1\nfleet: t\nssh:\n  port: «at most 65535»70000\n")
case('several-errors', "version: 1\nfleet: t\n«did you mean 'groups'»group: {}\nssh:\n  «did you mean 'port'»prot: 22\n")
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT): os.remove(os.path.join(OUT, f))
for i, (name, text) in enumerate(cases.items()):
    exps = []
    body = ''
    line, col = 2, 1  # content starts on line 2, after the expectation line
    pos = 0
    while pos < len(text):
        if text.startswith('«', pos):
            end = text.index('»', pos)
            exps.append(f"{line}:{col} {text[pos+1:end]}")
            pos = end + 1
            continue
        ch = text[pos]
        body += ch
        if ch == '\n': line, col = line + 1, 1
        else: col += 1
        pos += 1
    header = '# expect: ' + ' | '.join(exps) + '\n'
    if name in ('empty-file', 'only-comments'):
        # The expectation line itself is a comment, so an empty file stays empty; 1:1 is where it is reported.
        header = '# expect: 1:1 is empty\n'
    with open(os.path.join(OUT, f"{i+1:02d}-{name}.yaml"), 'w') as fh:
        fh.write(header + body)
print(len(cases))
