import { useEffect, useMemo, useRef, useState } from 'react';
import type { TPresenceState, TPresenceViewer } from '../../../shared/schemas/realtime.ts';
import { stream } from '../../lib/stream.ts';
import { createTypingSignal, otherViewers, PRESENCE_HEARTBEAT_MS } from './presence.ts';
import { fetchPresence } from './ticket-api.ts';

/**
 * Collision detection for one ticket: announces this tab (viewing, typing, idle, left) over the
 * stream and returns the other people on the ticket. `keystroke` / `stopTyping` drive typing.
 */
export const useTicketPresence = (ticketId: number, meId: number | null) => {
  const [viewers, setViewers] = useState<TPresenceViewer[]>([]);
  const signalRef = useRef<ReturnType<typeof createTypingSignal> | null>(null);

  useEffect(() => {
    let live = true;
    let heardFromStream = false;
    // Only to an open socket: queued presence would arrive stale after a reconnect.
    const send = (state: TPresenceState) => {
      if (stream.state === 'open') stream.send({ type: 'presence', ticketId, state });
    };
    const signal = createTypingSignal(send);
    signalRef.current = signal;
    setViewers([]);
    send('viewing');

    const controller = new AbortController();
    fetchPresence(ticketId, controller.signal)
      .then((res) => {
        if (live && !heardFromStream) setViewers(res.viewers);
      })
      // Presence is a hint, not the ticket: without it the screen works as before.
      .catch(() => undefined);

    const unsubscribe = stream.subscribe((message) => {
      if (message.type !== 'presence' || message.ticketId !== ticketId) return;
      heardFromStream = true;
      setViewers(message.viewers);
    });
    const unwatch = stream.onState((state) => {
      if (state === 'open') send(signal.state());
      // The server forgets a closed socket's presence; so do we, until it answers again.
      else if (state === 'closed') setViewers([]);
    });
    const heartbeat = setInterval(() => send(signal.state()), PRESENCE_HEARTBEAT_MS);

    return () => {
      live = false;
      controller.abort();
      clearInterval(heartbeat);
      unsubscribe();
      unwatch();
      signal.dispose();
      signalRef.current = null;
      send('left');
    };
  }, [ticketId]);

  const others = useMemo(() => otherViewers(viewers, meId), [viewers, meId]);
  const controls = useMemo(
    () => ({
      keystroke: () => signalRef.current?.keystroke(),
      stopTyping: () => signalRef.current?.stop(),
    }),
    [],
  );
  return { others, ...controls };
};
