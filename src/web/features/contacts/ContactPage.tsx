import { AppLayout } from '../../components/AppLayout.tsx';
import { Loading } from '../../components/PageState.tsx';

/** Placeholder until the screen is built. */
export const ContactPage = () => (
  <AppLayout>
    <Loading />
  </AppLayout>
);

export default ContactPage;
