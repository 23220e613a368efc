/// <reference types="@remix-run/node" />
/// <reference types="@remix-run/react" />
/// <reference types="@remix-run/dev" />

import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
