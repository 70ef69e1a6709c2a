"""A TCP proxy on 127.0.0.1 that adds latency (bench/bump's "remote server" rows).

Every byte waits DELAY_MS / 2 in each direction, so one request/response round trip gains DELAY_MS; bandwidth is
not limited (chunks are queued with their arrival time and written in order when due). Prints the port it listens
on, then serves until killed.

Usage: python3 bench/lib/delay_proxy.py TARGET_PORT DELAY_MS
"""
import asyncio
import sys
import time


async def pipe(reader, writer, half_delay):
    queue = asyncio.Queue()

    async def read():
        while True:
            data = await reader.read(65536)
            await queue.put((time.monotonic() + half_delay, data))
            if not data:
                return

    async def write():
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                try:
                    writer.write_eof()
                except OSError:
                    pass
                return
            writer.write(data)
            await writer.drain()

    try:
        await asyncio.gather(read(), write())
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main():
    target_port, delay_ms = int(sys.argv[1]), float(sys.argv[2])
    half = delay_ms / 2000.0

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer, half), pipe(server_reader, client_writer, half))

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
