import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { stream, type TStreamState } from './stream.ts';

/**
 * Keeps cached queries fresh from the stream: a ticket event refetches that ticket at once and
 * the lists and view counts shortly after (a burst of events costs one refetch).
 */
export const useLiveInvalidation = () => {
  const queryClient = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = stream.subscribe((message) => {
      if (message.type !== 'ticket.event') return;
      void queryClient.invalidateQueries({ queryKey: ['ticket', message.ticketId] });
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: ['tickets'] });
        void queryClient.invalidateQueries({ queryKey: ['views'] });
        void queryClient.invalidateQueries({ queryKey: ['contact'] });
      }, 300);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient]);
};

export const useStreamState = (): TStreamState => {
  const [state, setState] = useState<TStreamState>(stream.state);
  useEffect(() => stream.onState(setState), []);
  return state;
};
