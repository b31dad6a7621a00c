# tlsd.py - the TLS 1.2 server of make-captures.sh and make-discover.sh.
# Unlike nginx it closes only after the client's FIN, so the TLS teardown
# comes out in the same order on every run (nginx races curl's close_notify).
# usage: tlsd.py ADDR PORT CERT KEY
import select, socket, ssl, sys
addr, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.options |= ssl.OP_NO_TICKET
ctx.load_cert_chain(cert, key)
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((addr, port))
ls.listen(8)
while True:
    c, _ = ls.accept()
    try:
        s = ctx.wrap_socket(c, server_side=True)
        req = b""
        while b"\r\n\r\n" not in req:
            d = s.recv(4096)
            if not d:
                break
            req += d
        body = b"ok\n"
        s.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
        while s.recv(4096):
            pass                                  # until close_notify
        select.select([s], [], [], 2)             # until the client's FIN
        s.close()
    except (OSError, ssl.SSLError) as e:
        sys.stderr.write("tlsd: %s\n" % e)
        c.close()
