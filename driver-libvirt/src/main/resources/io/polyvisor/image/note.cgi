#!/bin/sh
# GET /cgi-bin/note answers the note kept in /data/note (empty if none); POST replaces it with the request body and
# syncs it to the disk before answering. On a guest booted from its disk, /data is on that disk and survives restarts.
if [ "$REQUEST_METHOD" = POST ]; then
    head -c "${CONTENT_LENGTH:-0}" > /data/note.new && mv /data/note.new /data/note && sync
fi
printf 'Content-Type: text/plain\r\n\r\n'
cat /data/note 2>/dev/null
