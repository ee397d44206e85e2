# Drives `ksim shell` through a pseudo-terminal for tests/shell/pty.test.ts: runs the command given
# as arguments on a new pty, then for each step of the JSON script on stdin either sends keys
# ({"send": "..."}), waits until the output since the previous expect contains a text
# ({"expect": "...", "timeout": seconds}), or just waits ({"sleep": seconds}). Prints a JSON report: the whole transcript, the exit status, and which
# step failed (if one did). Python's pty module is the host's pseudo-terminal here.
import json, os, pty, select, sys, time

steps = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

out = b''
failed = None

def pump(deadline):
    global out
    while True:
        left = deadline - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], min(left, 0.1))
        if fd in r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return True
            if not data:
                return True
            out += data
        return None

mark = 0
for i, step in enumerate(steps):
    if 'sleep' in step:
        time.sleep(step['sleep'])
        continue
    if 'send' in step:
        os.write(fd, step['send'].encode())
        continue
    want = step['expect'].encode()
    start = mark
    deadline = time.time() + step.get('timeout', 30)
    ended = False
    while want not in out[start:]:
        r = pump(deadline)
        if r is False or (r is True):
            ended = r is True
            break
    if want not in out[start:]:
        failed = {'step': i, 'expect': step['expect'], 'ended': ended}
        break
    mark = out.index(want, start) + len(want)

status = None
deadline = time.time() + 30
while status is None and time.time() < deadline:
    r = pump(time.time() + 0.2)
    wpid, st = os.waitpid(pid, os.WNOHANG)
    if wpid == pid:
        status = os.waitstatus_to_exitcode(st)
if status is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
print(json.dumps({'transcript': out.decode('utf-8', 'replace'), 'status': status, 'failed': failed}))
