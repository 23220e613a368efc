import { Link } from "@remix-run/react";

/** The account page's section for trainers (issue 17 item 4): where to ask for erasure. */
export function ErasureSection() {
  return (
    <>
      <h2 id="erasure">Close your account and erase your data</h2>
      <p>
        You can ask us to close your account and erase your personal data. An administrator reviews the request; you can withdraw it while it waits. Some records are
        kept for a time, and your certificate stops being valid: <Link to="/account/erasure">see what happens and ask for erasure</Link>.
      </p>
    </>
  );
}
