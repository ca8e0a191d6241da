"""Django's HTTP handler for uvicorn, with one hop into a thread per request.

Django's own ASGIHandler runs the middleware chain in async mode. Our middleware and views are
synchronous, so every request went back and forth between the event loop and a thread: the
request_started signal, each MiddlewareMixin's process_request and process_response, each
process_view, the view, then response.close() (py-spy showed asgiref's SyncToAsync,
AsyncToSync and CurrentThreadExecutor wrapping half of the samples). This handler loads the
chain in synchronous mode, as WSGI does, and runs the whole request (signals, middleware, view,
closing) in one sync_to_async call; the event loop only reads the body and sends the answer.

A streaming response (exports, files) is sent as Django sends it, with the client's disconnect
ending it, and closed afterwards in the request's own thread (ThreadSensitiveContext), so that
its database connection goes back to the pool from the thread that took it.
"""

import asyncio
from contextlib import closing

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse
from django.urls import set_script_prefix


class _RequestProcessed(Exception):
    pass


class OneHopASGIHandler(ASGIHandler):
    def __init__(self):
        base.BaseHandler.__init__(self)
        # Synchronous chain: no middleware needs the event loop (static files are answered
        # before Django, config/static.py).
        self.load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        async with ThreadSensitiveContext():
            await self.handle(scope, receive, send)

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        with closing(body_file):
            response = await sync_to_async(self._respond, thread_sensitive=True)(scope, body_file)
            if not response.streaming:
                await self.send_response(response, send)  # already closed in _respond
                return
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(self.listen_for_disconnect(receive))
                    await self.send_response(response, send)
                    raise _RequestProcessed
            except* (_RequestProcessed, RequestAborted):
                pass
            await sync_to_async(response.close, thread_sensitive=True)()

    def _respond(self, scope, body_file):
        """Everything Django does for a request, in the request's thread, as under WSGI."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        if not response.streaming:
            # The body is in memory: close now (request_finished returns the database
            # connection to the pool) rather than in a second hop after sending.
            response.close()
        return response
