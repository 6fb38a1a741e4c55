export interface paths {
    "/api/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How clients sign in: guests on or off, and the Supabase project (no auth needed) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Sign-in options */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuthConfig"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/guest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a guest user and return a bearer token for them */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A signed token (HS256 JWT, Supabase-shaped) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["GuestToken"];
                    };
                };
                /** @description Guest accounts are off (GUEST_AUTH=off, or an identity provider is configured) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Keep what you played as a guest: the guest's sessions, stories and API keys move to your account
         * @description Signed in with an account (not a guest token, not an API key). Claiming the same guest again moves nothing and answers as the first claim did; a guest another account claimed is 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        guest_token: string;
                    };
                };
            };
            responses: {
                /** @description Claimed (or claimed before by you) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["GuestClaim"];
                    };
                };
                /** @description Not a valid guest token of this server (`guest_token_invalid`), or a malformed body */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The caller is a guest or an API key, or the guest is suspended */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Another account claimed this guest (`guest_claimed`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stories you can play: your own, and public ones (the shipped stories among them); search, sort and pages */
        get: {
            parameters: {
                query?: {
                    /** @description Only stories whose title contains this (case-insensitive; any script, e.g. 雾) */
                    q?: string;
                    /** @description `mine`: your own only; `public`: public ones only (yours among them); default both */
                    scope?: "all" | "mine" | "public";
                    /** @description Default `oldest`; `played`: most sessions started first */
                    sort?: "oldest" | "newest" | "title" | "played";
                    /** @description A page of this many (absent: every story) */
                    limit?: number;
                    /** @description `next_cursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stories */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stories: components["schemas"]["Story"][];
                            /** @description Pass as `cursor` for the next page; null on the last page (or without `limit`) */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Upload an ink story; it is compiled on the server */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        /** @description ink source, one file (or give `files` and `main`) */
                        source?: string;
                        /** @description A story of several ink files by name, `{"main.ink": "…", "ch1.ink": "…"}`: INCLUDE names them; at most 64 */
                        files?: {
                            [key: string]: string;
                        };
                        /** @description Which of `files` is compiled (default `main.ink`, or the only file) */
                        main?: string;
                        slug?: string;
                        /**
                         * @description Default private: only you can see and play it
                         * @enum {string}
                         */
                        visibility?: "private" | "public";
                    };
                };
            };
            responses: {
                /** @description Compiled and stored */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Story"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Compile errors (ink_compile_error: details is a list of {file?, line, message}), an EXTERNAL function the story calls with no ink fallback (ink_unbound_external: details is a list of {function, file?, line}), or the compile took too long (compile_timeout) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many uploads (rate_limited, with a Retry-After header) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One story, with its ink source */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The story */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Story"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete your story (an admin: anyone’s). Played by no session: removed. Played: retired — gone from listings and lookups, its sessions play on */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description true: deleted with its versions and cards; false: retired because sessions play it */
                            removed: boolean;
                            /** @description Sessions (anyone’s) on the story */
                            sessions: number;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story, or a shipped story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Make your story public or private, or rename it */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StoryPatch"];
                };
            };
            responses: {
                /** @description The changed story */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Story"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/stories/{id}/source": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace your story's ink: it compiles as the next version; sessions stay on theirs until upgraded, new ones start on it */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title?: string;
                        /** @description ink source, one file (or give `files` and `main`) */
                        source?: string;
                        /** @description A story of several ink files by name, `{"main.ink": "…", "ch1.ink": "…"}`: INCLUDE names them; at most 64 */
                        files?: {
                            [key: string]: string;
                        };
                        /** @description Which of `files` is compiled (default `main.ink`, or the only file) */
                        main?: string;
                    };
                };
            };
            responses: {
                /** @description The story at its new version (the same version when the source compiles to what it already is) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Story"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Compile errors (ink_compile_error), an EXTERNAL without a fallback (ink_unbound_external), or compile_timeout */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many uploads (a new version counts as one) (rate_limited, with a Retry-After header) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The story's versions, oldest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Versions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            versions: components["schemas"]["StoryVersion"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/upgrade": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move the session to a newer version of its story (default: the latest), carrying its variables, visit counts and position
         * @description Undone turns are discarded, and undo, retry and fork stop at this turn (earlier turns were played on the old version). Watchers get `timeline.changed` with reason `upgrade`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description The session on the new version (unchanged if it was on it already) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description An older version than the session plays, or a malformed body */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session, or the story has no such version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The new version lacks where the session stands (upgrade_incompatible: details.missing_paths), or a turn is in progress (turn_in_progress) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}/analytics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your story's numbers from real play: sessions, endings, knot coverage, choice shares, judge rates, tokens and cost */
        get: {
            parameters: {
                query?: {
                    /** @description Only sessions on this version (1, 2, 3…); default every version */
                    version?: number;
                    /** @description csv: one row per number (section,name,detail,value,share), as a download */
                    format?: "json" | "csv";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The numbers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StoryAnalytics"];
                        "text/csv": string;
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story, or no such version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your API keys, revoked ones included, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your keys */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: components["schemas"]["ApiKey"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an API key (not with an API key); the key is in this response only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description The new key */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["NewApiKey"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many keys (details: {quota, limit, used}), or the caller used an API key */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of your API keys; it stops working at once */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown key */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your settings, with the models you may choose from */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your settings (null fields: the defaults) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UserSettings"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Change your settings; a field left out keeps its value, null goes back to the default. Your next turn uses them */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UserSettingsPut"];
                };
            };
            responses: {
                /** @description The settings now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UserSettings"];
                    };
                };
                /** @description Malformed, or `model_not_allowed`: the model is not in `allowed_models` (details: {allowed}) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/provider-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your own provider keys, masked (never the key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your keys */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: components["schemas"]["ProviderKey"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `provider_keys_disabled`: the server has no PROVIDER_KEY_SECRET */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/provider-keys/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Store (or replace) your own key for a provider: your turns on that provider’s models use it, and their usage is marked `byok` */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: "openai" | "anthropic" | "openai-compatible";
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The key; stored sealed, never shown again */
                        api_key: string;
                        /**
                         * Format: uri
                         * @description openai-compatible: the server’s base URL, https (e.g. https://openrouter.ai/api/v1)
                         */
                        base_url?: string;
                    };
                };
            };
            responses: {
                /** @description Stored */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProviderKey"];
                    };
                };
                /** @description Malformed, or base_url missing for openai-compatible */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `provider_keys_disabled`: the server has no PROVIDER_KEY_SECRET */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Remove your key for a provider; your next turn uses the server’s */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: "openai" | "anthropic" | "openai-compatible";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No key for this provider */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `provider_keys_disabled`: the server has no PROVIDER_KEY_SECRET */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every story, private and hidden ones included, with its owner */
        get: {
            parameters: {
                query?: {
                    owner_id?: string;
                    hidden?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stories */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stories: components["schemas"]["Story"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stories/{id}/hidden": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Hide a story: only its owner and admins see it, and no new session can start on it (running ones go on) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description The story, now hidden */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Story"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Show a hidden story again */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The story, visible again */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Story"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/suspensions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Suspended users, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Suspensions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            suspensions: components["schemas"]["Suspension"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{user_id}/suspension": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Suspend a user: every request with their tokens or API keys gets 403 account_suspended (other web servers follow within SUSPENSION_CACHE_MS) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Suspended */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Suspension"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Lift a suspension */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Reinstated */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The user is not suspended */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log: API keys created and revoked, stories hidden, users suspended and reinstated, sessions deleted, shares, members removed, replays */
        get: {
            parameters: {
                query?: {
                    actor?: string;
                    action?: "api_key.created" | "api_key.revoked" | "story.hidden" | "story.unhidden" | "user.suspended" | "user.reinstated" | "session.deleted" | "share.created" | "share.revoked" | "member.removed" | "replay.run";
                    /** @description Only entries at or after this time (ISO 8601) */
                    since?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Entries, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: components["schemas"]["AuditEntry"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The session as a document to import elsewhere (JSON), or as a readable transcript (Markdown) */
        get: {
            parameters: {
                query?: {
                    /** @description `markdown`: the transcript of the timeline, as a file download */
                    format?: "json" | "markdown";
                    /** @description `source` embeds the story’s ink source, so the document imports where the story is not available */
                    include?: "source";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The document (Content-Disposition: attachment) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionDocument"];
                        "text/markdown": string;
                    };
                };
                /** @description Malformed request, or `include=source` for a session on an older version of its story (its source is not kept) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new session of yours from an exported document
         * @description The story must be one you can see with the document’s version, or the document embeds its source (then it is installed as a new private story of yours). The document is checked whole (shape, integrity digest, a timeline whose turn numbers run from 0 to the session’s turn, ink states that load in the story version) before anything is written, and the session is written in one transaction. Body limit: `SESSION_IMPORT_MAX_BYTES`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SessionDocument"];
                };
            };
            responses: {
                /** @description Imported */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            session_id: string;
                            session: components["schemas"]["Session"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The session (or story) quota is full, or a moderator hid the story (story_hidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The document is over SESSION_IMPORT_MAX_BYTES */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not a document this server imports (session_import_invalid, each problem in details: shape, digest, timeline, ink state, story) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/share": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the session has a live link (the token itself cannot be shown again) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Status */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            shared: boolean;
                            created_at: string | null;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * A read-only link to the session’s transcript
         * @description The token is shown once (only its hash is stored). A session has one live link: sharing again gives a new token and the previous link stops working.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Shared */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            /** @description The web client’s page for the link, on the origin the request came to */
                            url: string;
                            created_at: string;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Revoke the session’s link at once (none: nothing happens) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/shared/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A shared transcript, without signing in: passages, inputs, choices offered and taken, tags
         * @description Never memories, cards, traces or who played. Rate-limited per address (`RATE_LIMIT_SHARED_PER_MINUTE_PER_IP`).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The transcript */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SharedTranscript"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such link, or it was revoked */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many reads from this address */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your sessions and the shared ones you joined, most recently played first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description Page on: `next_before` of the previous page */
                    before?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of sessions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sessions: components["schemas"]["SessionSummary"][];
                            next_before: string | null;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Start a session on a story; runs the opening (turn 0) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        story_id: string;
                    };
                };
            };
            responses: {
                /** @description Session started */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            session_id: string;
                            turn_no: number;
                            opening: components["schemas"]["StoryState"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A quota is full, or a moderator hid the story (story_hidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session: turn number, status, the ink text and choices on offer, variables */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The session */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a session with its turns, memories and cards */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Steer the session's narrator (author's note, persona, instructions) and set its turn mode
         * @description Fields left out stay as they are. They apply from the next turn and show in the context viewer (`GET …/turns/{n}/trace`).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SessionPatch"];
                };
            };
            responses: {
                /** @description The session with its steering */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A field is over 2,000 characters, or the body over MAX_BODY_BYTES (payload_too_large; details names the field) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sessions/{id}/turns/{n}/trace": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the models were sent and answered for a turn: retrieved memories, calls, raw judge answers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    n: number | null;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The trace */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            trace?: unknown;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or turn */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tokens and cost of a session's turns */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Totals */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            session: components["schemas"]["UsageTotals"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your tokens and cost: today (UTC) and overall, with the daily budget (0 = none) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Totals */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            today: components["schemas"]["UsageTotals"];
                            total: components["schemas"]["UsageTotals"];
                            daily_token_budget: number;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/turns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The transcript, oldest first, paged by turn number */
        get: {
            parameters: {
                query?: {
                    /** @description Return turns with turn_no greater than this */
                    after?: number | null;
                    limit?: number;
                    /** @description `all` adds undone, replaced and discarded turns (each with its `state`), ordered by turn number then creation; `limit` then counts turn numbers */
                    include?: "active" | "all";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of turns */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            turns: components["schemas"]["Turn"][];
                            next_after: number | null;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-run recorded turns without a model and compare; or what-if on another story version or with live models
         * @description Plain: `{turns, identical, first_divergence}`. With `story_version` or `live`: a per-turn diff (choice taken, variables changed, passage text). The session is never changed. Owner or admin.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["ReplayRequest"];
                };
            };
            responses: {
                /** @description The replay report, or the what-if diff */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReplayReport"] | components["schemas"]["WhatIfReport"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session (or story version) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/replay-bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One JSON file to replay the session offline (`mock-drama replay bundle.json`): story versions and turn recordings, no user ids, no secrets */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The bundle */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReplayBundle"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/undo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Go back to the state after the previous turn; the undone turn can be redone */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The session after the undo */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A turn is in progress (turn_in_progress), or the session is at its opening (nothing_to_undo) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/redo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-apply the next undone turn
         * @description A new action after an undo discards the undone turns: they can no longer be redone.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The session after the redo */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A turn is in progress (turn_in_progress), or there is nothing to redo (nothing_to_redo) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Play the last turn again, as it was or with an edited input and action
         * @description The last turn is kept as a `replaced` alternative (see `GET …/turns?include=all`), the session goes back to the turn before, and the turn is queued again as a new task, as with POST /api/story/action. Without a body the same input and action are played; `user_input` and `action` replace them (checked as a new action's are).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["RetryEdit"];
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            task_id: string;
                            /** @enum {string} */
                            status: "processing";
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A turn is in progress (turn_in_progress), or the session is at its opening (nothing_to_retry) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many actions (a retry counts as one; rate_limited, with a Retry-After header), or the daily token budget is spent (budget_exceeded) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/turns/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Edit the narration of a turn on the session's timeline
         * @description The turn's `response` becomes the new text; the model's text stays in `original_narration` (`edited: true`). Later turns' history uses the edited text. Watchers get `timeline.changed` with reason `edit`.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    n: number | null;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NarrationEdit"];
                };
            };
            responses: {
                /** @description The edited turn */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Turn"];
                    };
                };
                /** @description Malformed request, or an empty narration */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session, or no such turn on its timeline */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A turn is in progress (turn_in_progress) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The narration is over 20,000 characters (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sessions/{id}/fork": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new session copied from this one as it was after turn `turn_no`
         * @description The copy gets that turn's story state, the turns up to it, their memories and the session's own cards, and counts against your session quota. The source session does not change.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        turn_no: number;
                    };
                };
            };
            responses: {
                /** @description Forked */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            session_id: string;
                            session: components["schemas"]["Session"];
                        };
                    };
                };
                /** @description Malformed request, or turn_no is past the session’s current turn */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The session quota is full */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A turn is in progress (turn_in_progress) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Invite people to play or watch your session
         * @description The code is shown once (only its hash is stored). Send the `url` to whoever you invite; they join with POST /api/invites/{code}/join.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        role: components["schemas"]["MemberRole"];
                        /** @description How many people may join with it (default: no limit) */
                        max_uses?: number;
                        /** @description Seconds until it expires (default and at most 30 days) */
                        expires_in_s?: number;
                    };
                };
            };
            responses: {
                /** @description The invite */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Invite"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session, or not one of yours */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/invites/{code}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join a shared session with an invite code
         * @description Joining again, or the owner joining, changes nothing and answers the same.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    code: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Joined (or already in) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            session_id: string;
                            /** @enum {string} */
                            role: "owner" | "player" | "spectator";
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such invite */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The session has MAX_MEMBERS_PER_SESSION people, its owner included (session_full) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The invite expired (invite_expired) or was used as often as it allows (invite_used_up) */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is in the session: its owner, then its members as they joined */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The people */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            members: components["schemas"]["Member"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session, or not one of yours */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member (the owner), or leave (yourself)
         * @description Their access ends at once and their sockets on the session close (4004); watchers get `member.left`.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Only the owner removes other members */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session, or no such member */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/members/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Your display name in this session */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 1–40 characters, one line */
                        display_name: string;
                    };
                };
            };
            responses: {
                /** @description Renamed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user_id: string;
                            display_name: string;
                        };
                    };
                };
                /** @description Malformed, empty, or you are the owner */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session, or not one of yours */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Over 40 characters */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sessions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop the session's queued, running or retrying turn
         * @description The turn fails with `cancelled` and is never retried: watchers get `turn.failed`, nothing is committed, and the session takes a new action as soon as this answers.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description How the turn ended */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CancelledTask"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No turn is queued or running (no_turn_in_progress) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/memories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session's memories, oldest first; with `q`, the most similar to `q` first */
        get: {
            parameters: {
                query?: {
                    q?: string;
                    kind?: components["schemas"]["MemoryKind"];
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Memories */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            memories: components["schemas"]["Memory"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a memory (it counts from the next turn) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 2,000 characters */
                        text: string;
                        /** @description 1 (trivial) to 10; default 5 */
                        importance?: number;
                        kind?: components["schemas"]["MemoryKind"] & unknown;
                        pinned?: boolean;
                    };
                };
            };
            responses: {
                /** @description Added */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            memory: components["schemas"]["Memory"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A summary for this turn already exists (turn_conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/memories/{memoryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a memory */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    memoryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or memory */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Edit a memory: text, importance, kind, or pin it (`pinned: true`) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    memoryId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 2,000 characters */
                        text?: string;
                        /** @description 1 (trivial) to 10; default 5 */
                        importance?: number;
                        kind?: components["schemas"]["MemoryKind"] & unknown;
                        pinned?: boolean;
                    };
                };
            };
            responses: {
                /** @description Edited */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            memory: components["schemas"]["Memory"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or memory */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sessions/{id}/memories/{memoryId}/pin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Pin a memory: it enters every turn */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    memoryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            memory: components["schemas"]["Memory"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or memory */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Unpin a memory */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    memoryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            memory: components["schemas"]["Memory"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or memory */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}/cards/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a lorebook into the story's cards (owner)
         * @description Formats, told from the content: SillyTavern World Info JSON; SillyTavern character cards V2/V3 as JSON or PNG (`chara`/`ccv3` text chunk); NovelAI lorebooks; AI Dungeon story cards exports. All cards are created or none.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description The file itself, raw or as the `file` field of a form. Bounded by `IMPORT_MAX_BYTES` (default 8 MB). */
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** Format: binary */
                        file: string;
                    };
                    "application/json": unknown;
                    "image/png": string;
                    "application/octet-stream": string;
                };
            };
            responses: {
                /** @description Imported; the report says what was skipped */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LorebookImport"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body over `IMPORT_MAX_BYTES`, or more cards than a story or session holds (500, counting those already there): nothing imported */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `lorebook_invalid` (a known format, broken: `details` is a list of {path, message}) or `lorebook_unknown_format`: nothing imported */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many uploads (an import counts as one) (rate_limited, with a Retry-After header) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/cards/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a lorebook into the session's own cards
         * @description Formats, told from the content: SillyTavern World Info JSON; SillyTavern character cards V2/V3 as JSON or PNG (`chara`/`ccv3` text chunk); NovelAI lorebooks; AI Dungeon story cards exports. All cards are created or none.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description The file itself, raw or as the `file` field of a form. Bounded by `IMPORT_MAX_BYTES` (default 8 MB). */
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** Format: binary */
                        file: string;
                    };
                    "application/json": unknown;
                    "image/png": string;
                    "application/octet-stream": string;
                };
            };
            responses: {
                /** @description Imported; the report says what was skipped */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LorebookImport"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body over `IMPORT_MAX_BYTES`, or more cards than a story or session holds (500, counting those already there): nothing imported */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `lorebook_invalid` (a known format, broken: `details` is a list of {path, message}) or `lorebook_unknown_format`: nothing imported */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many uploads (an import counts as one) (rate_limited, with a Retry-After header) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}/cards/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The story's cards as a file another tool loads
         * @description `format=sillytavern`: World Info JSON (SillyTavern's "Import World Info"), as an attachment. Cards written in the ink file are not included. A card's `when` condition is kept in `extensions.mock_drama.when`: SillyTavern ignores it, our import reads it back.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only `sillytavern` so far */
                    format?: "sillytavern";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description World Info */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WorldInfo"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}/cards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A story's cards, and those written in its ink file */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Cards */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cards: components["schemas"]["Card"][];
                            ink_cards: components["schemas"]["InkCard"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a card (it counts from the next turn) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 400 characters */
                        name: string;
                        /**
                         * @description At most 32; each plain or `/regex/flags`
                         * @default []
                         */
                        keywords?: string[];
                        /** @description At most 2,000 characters */
                        text: string;
                        /** @description Active only while this holds: variables (`trust >= 3`, `met_keeper`), `visits("knot.stitch") > 0`, `turn`, with and/or/not; checked against the story (422 card_condition_invalid) */
                        when?: string | null;
                    };
                };
            };
            responses: {
                /** @description Added */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            card: components["schemas"]["Card"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}/cards/{cardId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a card */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    cardId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Edit a card */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    cardId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 400 characters */
                        name?: string;
                        /** @description At most 32; each plain or `/regex/flags` */
                        keywords?: string[];
                        /** @description At most 2,000 characters */
                        text?: string;
                        /** @description Active only while this holds: variables (`trust >= 3`, `met_keeper`), `visits("knot.stitch") > 0`, `turn`, with and/or/not; checked against the story (422 card_condition_invalid) */
                        when?: string | null;
                    };
                };
            };
            responses: {
                /** @description Edited */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            card: components["schemas"]["Card"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/sessions/{id}/cards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session's own cards */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Cards */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cards: components["schemas"]["Card"][];
                            ink_cards: components["schemas"]["InkCard"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a card (it counts from the next turn) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 400 characters */
                        name: string;
                        /**
                         * @description At most 32; each plain or `/regex/flags`
                         * @default []
                         */
                        keywords?: string[];
                        /** @description At most 2,000 characters */
                        text: string;
                        /** @description Active only while this holds: variables (`trust >= 3`, `met_keeper`), `visits("knot.stitch") > 0`, `turn`, with and/or/not; checked against the story (422 card_condition_invalid) */
                        when?: string | null;
                    };
                };
            };
            responses: {
                /** @description Added */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            card: components["schemas"]["Card"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/cards/{cardId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a card */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    cardId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Edit a card */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    cardId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 400 characters */
                        name?: string;
                        /** @description At most 32; each plain or `/regex/flags` */
                        keywords?: string[];
                        /** @description At most 2,000 characters */
                        text?: string;
                        /** @description Active only while this holds: variables (`trust >= 3`, `met_keeper`), `visits("knot.stitch") > 0`, `turn`, with and/or/not; checked against the story (422 card_condition_invalid) */
                        when?: string | null;
                    };
                };
            };
            responses: {
                /** @description Edited */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            card: components["schemas"]["Card"];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or card */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/stories/{id}/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The story’s assets, by name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Assets */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assets: components["schemas"]["Asset"][];
                            /** @description Media tags of the story that name an asset that does not exist */
                            warnings: string[];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or asset (or a private story of someone else) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Upload an image or a sound for the story (owner); the same name replaces it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description A form: `file` (up to `ASSET_MAX_BYTES`, default 10 MB) and an optional `name` (default: the file’s own name). The type is told from the bytes: png, jpeg, webp, gif, mp3, ogg, wav. */
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** Format: binary */
                        file: string;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Stored */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            asset: components["schemas"]["Asset"] & {
                                type: string;
                            };
                            /** @description Media tags of the story that name an asset that does not exist */
                            warnings: string[];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story, or your assets’ storage quota (`ASSET_QUOTA_BYTES`) is full */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or asset (or a private story of someone else) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Over `ASSET_MAX_BYTES` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not png, jpeg, webp, gif, mp3, ogg or wav */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many uploads (rate_limited, with a Retry-After header) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stories/{id}/assets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An asset’s bytes (anyone who may see the story), with ETag and Cache-Control */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description The asset’s name, e.g. `harbour.webp` */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The asset */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                        "image/jpeg": string;
                        "image/webp": string;
                        "image/gif": string;
                        "audio/mpeg": string;
                        "audio/ogg": string;
                        "audio/wav": string;
                    };
                };
                /** @description Not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or asset (or a private story of someone else) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an asset (owner) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description The asset’s name, e.g. `harbour.webp` */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not your story */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown story or asset (or a private story of someone else) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{id}/assets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An asset of the session’s story, for its players: what `# image:` and `# audio:` tags resolve to */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description The asset’s name, e.g. `harbour.webp` */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The asset */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                        "image/jpeg": string;
                        "image/webp": string;
                        "image/gif": string;
                        "audio/mpeg": string;
                        "audio/ogg": string;
                        "audio/wav": string;
                    };
                };
                /** @description Not modified (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session or asset */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/story/action": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a player action; the turn runs in the background
         * @description Watch it on WS /ws/story/{session_id} or SSE /api/sessions/{id}/events, or poll the status route. Send an Idempotency-Key header to make retries safe. In a shared session the turn mode decides: `free` — an action that arrives while a turn runs waits in line (`status: "queued"`, `position`) and becomes its own turn in arrival order; `round` — only the player whose turn it is acts (`409 not_your_turn`); `vote` — the action joins the open vote (`status: "queued"`) and every vote becomes one turn when it closes.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        session_id: string;
                        /** @description The player's words; capped at MAX_INPUT_CHARS (default 4000) characters */
                        user_input: string;
                        action?: components["schemas"]["ActionKind"];
                    };
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ActionAccepted"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A spectator of a shared session (spectator) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown session */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A turn is already queued or running (turn_in_progress, one-player sessions and round mode), not this player's turn in round mode (not_your_turn: details.user_id, details.display_name), or the story ended */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many actions (rate_limited, with a Retry-After header), the daily token budget is spent (budget_exceeded), or MAX_QUEUED_ACTIONS already wait in the shared session (queue_full) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/story/status/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A task's status; result is the turn once completed, the error once failed */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Status */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TaskStatus"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown task */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One event of a session, as a WebSocket text frame (WS /ws/story/{session_id}) or an SSE `data:` line (GET /api/sessions/{id}/events, SSE `event:` = `type`, SSE `id:` = `id`). */
        SessionEvent: components["schemas"]["TurnStartedEvent"] | components["schemas"]["NarrationDeltaEvent"] | components["schemas"]["TurnDecisionEvent"] | components["schemas"]["TurnCompletedEvent"] | components["schemas"]["TurnRetryingEvent"] | components["schemas"]["TurnFailedEvent"] | components["schemas"]["TimelineChangedEvent"] | components["schemas"]["MemberJoinedEvent"] | components["schemas"]["MemberLeftEvent"] | components["schemas"]["MemberRenamedEvent"] | components["schemas"]["MemberOnlineEvent"] | components["schemas"]["MemberOfflineEvent"] | components["schemas"]["MemberTypingEvent"] | components["schemas"]["TurnQueuedEvent"] | components["schemas"]["RoundNextEvent"] | components["schemas"]["VoteCastEvent"] | components["schemas"]["TurnModeChangedEvent"];
        /** @description A worker started the turn (attempt > 1: a retry; narration restarts from empty) */
        TurnStartedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            /** @description The turn task the event belongs to */
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.started";
            input: string;
            action: components["schemas"]["ActionKind"];
            attempt: number;
            /** @description Who acted */
            user_id: string | null;
            /** @description Their name in a shared session (null for the owner, or in one's own session) */
            display_name: string | null;
        };
        /** @enum {string} */
        ActionKind: "do" | "say" | "story" | "continue";
        /** @description The next piece of the narration, in order */
        NarrationDeltaEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            /** @description The turn task the event belongs to */
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "narration.delta";
            text: string;
        };
        /** @description The judge's decision, before it is committed */
        TurnDecisionEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            /** @description The turn task the event belongs to */
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.decision";
            decision: components["schemas"]["Decision"];
        };
        Decision: {
            choice_index: number | null;
            variable_updates: {
                name: string;
                value: string | number | boolean;
            }[];
            memories: {
                text: string;
                importance: number;
            }[];
            summary: string;
        };
        /** @description The turn is committed; `result` is the same body as GET /api/story/status `result` */
        TurnCompletedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            /** @description The turn task the event belongs to */
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.completed";
            result: components["schemas"]["Turn"];
        };
        Turn: {
            session_id: string;
            turn_no: number;
            task_id: string | null;
            input: string;
            action: components["schemas"]["ActionKind"];
            /** @description Who acted (in a shared session, which player); null on the opening */
            user_id: string | null;
            /** @description The narration of this turn (as the player edited it, if they did) */
            response: string;
            /** @description The player edited the narration (PATCH …/turns/{n}) */
            edited: boolean;
            /** @description The narration as the model wrote it, when edited; else null */
            original_narration: string | null;
            decision: components["schemas"]["Decision"];
            updated_state: components["schemas"]["StoryState"];
            /** @description Milliseconds per pipeline stage */
            timings: {
                [key: string]: number;
            };
            /** @description Model calls of the turn, tokens and cost; null for the opening */
            usage: {
                calls: {
                    /** @enum {string} */
                    role: "narrator" | "judge" | "judge-repair" | "judge-fallback";
                    /**
                     * @description The call ran on the player's own provider key
                     * @enum {boolean}
                     */
                    byok?: true;
                    modelId: string;
                    inputTokens?: number;
                    outputTokens?: number;
                    cachedInputTokens?: number;
                    costUsd?: number;
                }[];
                inputTokens: number;
                outputTokens: number;
                costUsd: number;
                judgeRepaired: boolean;
                judgeFellBack: boolean;
                /**
                 * @description Some call ran on the player's own provider key (PUT /api/me/provider-keys)
                 * @enum {boolean}
                 */
                byok?: true;
                /** @description Tokens of the calls on the player's own key: the daily token budget leaves them out */
                byokTokens?: number;
            } | null;
            /** @description OpenTelemetry trace id of the turn; null when tracing is off */
            trace_id: string | null;
            /**
             * @description active: on the timeline; undone: waits for a redo; replaced: an earlier take of a retried turn; discarded: undone, then overwritten by a new action
             * @enum {string}
             */
            state: "active" | "undone" | "replaced" | "discarded";
            created_at: string;
        };
        StoryState: {
            text: string;
            tags: string[];
            /** @description The passage’s `# image:` and `# audio:` tags as URLs (absent when it has none) */
            media?: components["schemas"]["Media"][];
            choices: components["schemas"]["Choice"][];
            ended: boolean;
            variables: {
                [key: string]: string | number | boolean;
            };
            /** @description Where the story stands, as a knot or knot.stitch: where the offered choices are written, or where it ended */
            position?: string;
        };
        Media: {
            /** @enum {string} */
            kind: "image" | "audio" | "cover";
            name: string;
            /** @description GET it with the session’s token: `/api/sessions/{id}/assets/{name}` */
            url: string;
        };
        Choice: {
            index: number;
            text: string;
            /** @description The choice's ink tags, e.g. `sound: creak` */
            tags: string[];
        };
        /** @description The attempt failed; another starts after `delay_ms` */
        TurnRetryingEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            /** @description The turn task the event belongs to */
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.retrying";
            error: components["schemas"]["TaskError"];
            attempt: number;
            delay_ms: number;
        };
        TaskError: {
            /** @example turn_in_progress */
            code: string;
            message: string;
            details?: unknown;
            request_id?: string;
        };
        /** @description The turn failed for good; nothing was committed */
        TurnFailedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            /** @description The turn task the event belongs to */
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.failed";
            error: components["schemas"]["TaskError"];
        };
        /** @description The active timeline changed (undo, redo, retry, an edited passage); reload the transcript */
        TimelineChangedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            /** @description The retry task, for reason `retry` */
            task_id?: string | null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "timeline.changed";
            /**
             * @description `restore`: a retry failed or was cancelled, and the turn it replaced is back; `upgrade`: the session moved to a newer version of its story; `edit`: the player edited a passage
             * @enum {string}
             */
            reason: "undo" | "redo" | "retry" | "restore" | "upgrade" | "edit";
            session: components["schemas"]["Session"];
        };
        /** @description The session after the change (the body of GET /api/sessions/{id}) */
        Session: {
            session_id: string;
            story_id: string;
            story_version: string;
            turn_no: number;
            /** @enum {string} */
            status: "active" | "ended";
            text: string;
            tags: string[];
            /** @description The passage’s `# image:` and `# audio:` tags as URLs (absent when it has none) */
            media?: components["schemas"]["Media"][];
            choices: components["schemas"]["Choice"][];
            ended: boolean;
            variables: {
                [key: string]: string | number | boolean;
            };
            /** @description Where the story stands, as a knot or knot.stitch: where the offered choices are written, or where it ended */
            position?: string;
            /** @description An undone turn can be redone (POST …/redo) */
            redo_available: boolean;
            /** @description The session this one was forked from */
            forked_from: string | null;
            /** @description The turn of that session it was copied at */
            forked_at_turn: number | null;
            /** @description The player's author's note: placed a few entries before the end of the narrator's context every turn */
            author_note: string | null;
            persona: components["schemas"]["Persona"];
            /** @description The player's own instructions for the narrator (below the rules and the story's guidance) */
            instructions: string | null;
            /**
             * @description Who acts when in a shared session; null for a session nobody joined (one player: a second action while a turn runs is 409)
             * @enum {string|null}
             */
            turn_mode: "free" | "round" | "vote" | null;
            /** @description Round mode: whose turn it is, since when (their time runs from the later of this and the last turn's end) */
            round: {
                user_id: string;
                since: string;
            } | null;
            /** @description Vote mode: when the open vote closes (null when none is open) */
            vote_deadline_at: string | null;
            created_at: string;
            updated_at: string;
        };
        /** @description Who the player is in this story, for the narrator */
        Persona: {
            /** @description At most 2,000 characters */
            name: string;
            /** @description At most 2,000 characters */
            description: string;
        } | null;
        /** @description Someone joined the session by an invite */
        MemberJoinedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "member.joined";
            user_id: string;
            /** @enum {string} */
            role: "player" | "spectator";
            display_name: string | null;
        };
        /** @description A member left or was removed; that member's sockets on the session close (4004) */
        MemberLeftEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "member.left";
            user_id: string;
        };
        /** @description A member changed their name in this session (PATCH …/members/me) */
        MemberRenamedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "member.renamed";
            user_id: string;
            display_name: string;
        };
        /** @description Someone's first socket on the session opened */
        MemberOnlineEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "member.online";
            user_id: string;
        };
        /** @description Someone's last socket on the session closed */
        MemberOfflineEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "member.offline";
            user_id: string;
        };
        /** @description A player is typing (their client sent {"type":"typing"} over the WebSocket; at most one every 2 s per socket) */
        MemberTypingEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "member.typing";
            user_id: string;
        };
        /** @description Free mode: a player's action waits for the turn in flight; it becomes its own turn, in arrival order */
        TurnQueuedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.queued";
            /** @description 1-based place in the line: 1 runs when the turn in flight ends */
            position: number;
            user_id: string;
            display_name: string | null;
            input: string;
            action: components["schemas"]["ActionKind"];
        };
        /** @description Round mode: whose turn it is */
        RoundNextEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "round.next";
            /** @description The player whose turn it is now */
            user_id: string;
            display_name: string | null;
            /** @description When they are skipped if they have not acted (null while a turn runs: their time starts when it ends) */
            deadline_at: string | null;
            /** @description Set when the previous player was skipped for not acting within ROUND_TIMEOUT_S */
            skipped_user_id: string | null;
        };
        /** @description Vote mode: a player's action joined the open vote; when it closes, every action becomes one turn */
        VoteCastEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: string;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "vote.cast";
            user_id: string;
            display_name: string | null;
            /** @description Actions in the open vote so far (one per player; a second replaces the first) */
            votes: number;
            /** @description When the vote closes, unless every online player has voted before */
            deadline_at: string;
        };
        /** @description The owner changed who acts when; actions still waiting were dropped (each got turn.failed, code cancelled) */
        TurnModeChangedEvent: {
            /** @description Strictly increasing within a session; resume with `since=<id>` or `Last-Event-ID` */
            id: number;
            session_id: string;
            task_id: null;
            turn_no: number;
            /** @description When the event was published (ISO 8601) */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn_mode.changed";
            /** @enum {string} */
            turn_mode: "free" | "round" | "vote";
        };
        AuthConfig: {
            /** @description Whether POST /api/auth/guest issues tokens */
            guests: boolean;
            /** @description The Supabase project to sign in with; null when accounts are not configured */
            supabase: {
                /** @description SUPABASE_URL, for supabase-js */
                url: string;
                /** @description The project's public anon key (SUPABASE_ANON_KEY) */
                anon_key: string;
                /** @description OAuth providers to offer (SUPABASE_OAUTH_PROVIDERS) */
                oauth_providers: string[];
            } | null;
        };
        GuestToken: {
            token: string;
            user_id: string;
            expires_at: string;
        };
        Error: {
            error: {
                /** @example turn_in_progress */
                code: string;
                message: string;
                details?: unknown;
                request_id?: string;
            };
        };
        GuestClaim: {
            guest_user_id: string;
            /** @description False when you had claimed this guest before: nothing moved this time */
            moved: boolean;
            /** @description Sessions now yours (on a repeat: what the first claim moved) */
            sessions: number;
            stories: number;
            api_keys: number;
            claimed_at: string;
        };
        Story: {
            id: string;
            slug: string;
            title: string;
            owner_id: string | null;
            version: string;
            /**
             * @description private: only its owner (and admins) can see and play it
             * @enum {string}
             */
            visibility: "private" | "public";
            /** @description Hidden by a moderator; shown to the owner and admins only */
            hidden?: boolean;
            created_at: string;
            /** @description The asset the story’s `# cover:` tag names (absent: none) */
            cover_url?: string;
            source?: string;
            /** @description A story of several files: every file (with `source`) */
            files?: {
                [key: string]: string;
            };
            /** @description Which of `files` is compiled */
            main?: string;
            /** @description In the answer to an upload or a new version: each `# image:`, `# audio:` or `# cover:` tag that names an asset the story does not have yet (upload it with POST …/assets) */
            asset_warnings?: string[];
        };
        StoryPatch: {
            /** @enum {string} */
            visibility?: "private" | "public";
            title?: string;
        };
        StoryVersion: {
            /** @description 1, 2, 3… in the order the versions were stored */
            version: number;
            /** @description Content hash of the compiled story (what sessions record as story_version) */
            hash: string;
            created_at: string;
            /** @description Sessions playing this version now */
            sessions: number;
        };
        StoryAnalytics: {
            story_id: string;
            /** @description The version the numbers are limited to (?version=n); null: every version */
            version: number | null;
            sessions: {
                started: number;
                /** @description Sessions whose story reached an end (status ended) */
                finished: number;
                /** @description Sessions forked from another (counted in started too) */
                forks: number;
            };
            turns: {
                /** @description Turns on the sessions’ timelines (active), without openings and turns a fork copied */
                played: number;
                /** @description Undone, retried or discarded takes: not turns played, but model calls all the same */
                alternatives: number;
                /** @description Median turn number of finished sessions */
                median_to_ending: number | null;
            };
            endings: {
                /** @description The final passage’s `# ending: name` tag, else the knot or knot.stitch the story ended in */
                ending: string;
                position: string | null;
                sessions: number;
            }[];
            coverage: {
                places: {
                    path: string;
                    /** @enum {string} */
                    kind: "knot" | "stitch";
                    visits: number;
                    sessions: number;
                    /** @description False: a place of another version, not counted in the share */
                    in_story: boolean;
                }[];
                knots: number;
                knots_never_reached: number;
                never_reached_share: number;
            };
            choice_points: {
                /** @description The knot or knot.stitch where the choices are offered */
                position: string;
                /** @description Turns played there */
                turns: number;
                choices: {
                    /** @description null: the turn took no choice */
                    text: string | null;
                    taken: number;
                    share: number;
                }[];
            }[];
            /** @description Over every committed take (alternatives too): each was judged */
            judge: {
                turns: number;
                repair_rate: number;
                fallback_rate: number;
            };
            usage: {
                tokens: number;
                cost_usd: number;
                /** @description Over every committed take (turns played and alternatives) */
                per_turn: {
                    tokens: number;
                    cost_usd: number;
                };
                per_session: {
                    tokens: number;
                    cost_usd: number;
                };
                /** @description Mean tokens and cost of the turns played at each turn number (first 200) */
                by_turn: {
                    turn_no: number;
                    turns: number;
                    tokens: number;
                    cost_usd: number;
                }[];
            };
            /** @description Coverage and choice points read the most recently started sessions, at most `limit`; the rest counts every session */
            sample: {
                sessions: number;
                limit: number;
            };
        };
        NewApiKey: {
            id: string;
            name: string;
            prefix: string;
            /** @description The key itself, shown only now: send it as `Authorization: Bearer <key>` or `X-API-Key: <key>` */
            key: string;
            created_at: string;
        };
        ApiKey: {
            id: string;
            name: string;
            /** @description The first characters of the key, to tell keys apart */
            prefix: string;
            created_at: string;
            /** @description Recorded at most once a minute */
            last_used_at: string | null;
            revoked_at: string | null;
        };
        UserSettings: {
            /** @description A `provider:model` of `allowed_models`; null: the server’s narrator */
            narrator_model: string | null;
            /** @description Narrator sampling temperature 0–2; null: the model’s default */
            temperature: number | null;
            /**
             * @description short ≈ one paragraph, medium (default), long ≈ three or four paragraphs
             * @enum {string|null}
             */
            passage_length: "short" | "medium" | "long" | null;
            /**
             * @description Interface language of the web client; null: the browser’s
             * @enum {string|null}
             */
            language: "en" | "zh" | null;
            /** @description The narrator models this server offers (ALLOWED_MODELS) */
            allowed_models: string[];
            /** @description What each passage length caps the narrator’s output at */
            passage_lengths: {
                [key: string]: {
                    max_tokens: number;
                };
            };
            /** @description Whether this server stores players’ own provider keys (PROVIDER_KEY_SECRET set) */
            provider_keys: boolean;
        };
        UserSettingsPut: {
            /** @description A `provider:model` of `allowed_models`; null: the server’s narrator */
            narrator_model?: string | null;
            /** @description Narrator sampling temperature 0–2; null: the model’s default */
            temperature?: number | null;
            /**
             * @description short ≈ one paragraph, medium (default), long ≈ three or four paragraphs
             * @enum {string|null}
             */
            passage_length?: "short" | "medium" | "long" | null;
            /**
             * @description Interface language of the web client; null: the browser’s
             * @enum {string|null}
             */
            language?: "en" | "zh" | null;
        };
        ProviderKey: {
            /** @enum {string} */
            provider: "openai" | "anthropic" | "openai-compatible";
            /** @description The key masked: its first three and last four characters */
            hint: string;
            /** @description The OpenAI-compatible server (openai-compatible only) */
            base_url: string | null;
            created_at: string;
        };
        Suspension: {
            user_id: string;
            reason: string;
            suspended_by: string;
            created_at: string;
        };
        AuditEntry: {
            id: number;
            actor: string;
            /** @enum {string} */
            action: "api_key.created" | "api_key.revoked" | "story.hidden" | "story.unhidden" | "user.suspended" | "user.reinstated" | "session.deleted" | "share.created" | "share.revoked" | "member.removed" | "replay.run";
            target: string;
            request_id: string | null;
            created_at: string;
        };
        /** @description A session as `mock-drama.session` version 1: the story (id, version hash, number, title, optionally its source), the session, every turn with its timeline state and ink state, memories and session cards (text only; an import embeds them again). `integrity.digest` is the SHA-256 of the canonical JSON (sorted keys, no spaces) of the document without `exported_at` and `integrity`. */
        SessionDocument: {
            /** @enum {string} */
            format: "mock-drama.session";
            /** @enum {number} */
            version: 1;
            exported_at?: string;
            story: {
                id: string;
                version: string;
                version_no: number | null;
                title: string;
                source?: string | {
                    main: string;
                    files: {
                        [key: string]: string;
                    };
                };
            };
            session: {
                /** @enum {string} */
                status: "active" | "ended";
                turn_no: number;
                upgraded_at_turn: number | null;
                ink_state: string;
                view: {
                    text: string;
                    tags: string[];
                    choices: {
                        index: number;
                        text: string;
                        tags?: string[];
                    }[];
                    ended: boolean;
                    variables: {
                        [key: string]: string | number | boolean;
                    };
                    position?: string;
                };
                steering?: {
                    author_note?: string;
                    persona?: {
                        name: string;
                        description: string;
                    };
                    instructions?: string;
                };
            };
            turns: {
                turn_no: number;
                /** @enum {string} */
                state: "active" | "undone" | "replaced" | "discarded";
                input: string;
                /** @enum {string} */
                action: "do" | "say" | "story" | "continue";
                response: string;
                original_response?: string;
                decision: {
                    choiceIndex: number | null;
                    variableUpdates: {
                        name: string;
                        value: string | number | boolean;
                    }[];
                    memories: {
                        text: string;
                        importance: number;
                    }[];
                    summary: string;
                };
                view: {
                    text: string;
                    tags: string[];
                    choices: {
                        index: number;
                        text: string;
                        tags?: string[];
                    }[];
                    ended: boolean;
                    variables: {
                        [key: string]: string | number | boolean;
                    };
                    position?: string;
                };
                ink_state: string;
                timings: {
                    load: number;
                    narrate: number;
                    judge: number;
                    apply: number;
                    embed: number;
                    commit: number;
                    total: number;
                } & {
                    [key: string]: number;
                };
                /** Format: date-time */
                created_at: string;
            }[];
            memories: {
                turn_no: number;
                /** @enum {string} */
                kind: "event" | "fact" | "summary" | "card";
                text: string;
                importance: number;
                pinned: boolean;
                /** @enum {string} */
                origin: "turn" | "player";
            }[];
            cards: {
                name: string;
                keywords: string[];
                text: string;
                when: string | null;
            }[];
            integrity: {
                /** @enum {string} */
                algorithm: "sha256";
                digest: string;
            };
        };
        SharedTranscript: {
            story_title: string;
            ended: boolean;
            turns: {
                turn_no: number;
                action: components["schemas"]["ActionKind"];
                input: string;
                narration: string;
                /** @description The ink passage the turn led to (empty when it took no choice) */
                passage: string;
                tags: string[];
                choice_taken: {
                    index: number;
                    text: string;
                } | null;
                choices_offered: {
                    index: number;
                    text: string;
                }[];
            }[];
        };
        SessionPatch: {
            /** @description Direction for the narrator, a few entries before the end of its context, every turn until changed; null or "" clears it */
            author_note?: string | null;
            /** @description Who the player is; null clears it */
            persona?: {
                /** @description At most 2,000 characters */
                name: string;
                /** @description At most 2,000 characters */
                description: string;
            } | null;
            /** @description Standing instructions for the narrator, below the rules and the story's guidance; null or "" clears them */
            instructions?: string | null;
            /**
             * @description Who acts when in a shared session (the owner only): free (queued in arrival order), round (join order, ROUND_TIMEOUT_S each), vote (VOTE_WINDOW_S windows). Actions still waiting are dropped.
             * @enum {string}
             */
            turn_mode?: "free" | "round" | "vote";
        };
        UsageTotals: {
            turns: number;
            tokens: number;
            costUsd: number;
            /** @description Of `tokens`, those spent on the player's own provider keys (not counted against the daily budget) */
            byokTokens: number;
        };
        ReplayReport: {
            turns: number;
            identical: boolean;
            first_divergence: {
                turn: number;
                field: string;
                expected?: unknown;
                actual?: unknown;
            } | null;
        };
        WhatIfReport: {
            turns: number;
            story_version: string;
            live: boolean;
            first_difference: number | null;
            diff: {
                turn: number;
                choice: {
                    recorded: string | null;
                    replayed: string | null;
                };
                variables: {
                    name: string;
                    recorded?: unknown;
                    replayed?: unknown;
                }[];
                passage: {
                    recorded: string;
                    replayed: string;
                };
                differs: boolean;
                error?: string;
            }[];
        };
        ReplayRequest: {
            /** @description First turn to replay (default: the first recorded) */
            from?: number;
            /** @description Last turn to replay (default: the last) */
            to?: number;
            /** @description What-if: another version of the session's story, by number or hash */
            story_version?: string | number;
            /** @description What-if: call today's configured models instead of the recorded answers */
            live?: boolean;
        };
        ReplayBundle: {
            format: string;
            stories: {
                [key: string]: unknown;
            }[];
            turns: {
                [key: string]: unknown;
            }[];
        };
        RetryEdit: {
            /** @description The edited action text (default: the last turn's); capped at MAX_INPUT_CHARS */
            user_input?: string;
            action?: components["schemas"]["ActionKind"] & unknown;
        };
        NarrationEdit: {
            /** @description The new text, at most 20,000 characters */
            narration: string;
        };
        Invite: {
            code: string;
            url: string;
            role: components["schemas"]["MemberRole"];
            expires_at: string;
        };
        /** @enum {string} */
        MemberRole: "player" | "spectator";
        Member: {
            user_id: string;
            display_name: string | null;
            /** @enum {string} */
            role: "owner" | "player" | "spectator";
            /** @description A WebSocket of theirs is open on this session */
            online: boolean;
        };
        CancelledTask: {
            task_id: string;
            /**
             * @description `failed` (with `error.code` `cancelled`) once the turn stopped; `completed` when it committed before the cancel landed (the turn stands). Rarely still `queued`/`processing`/`retrying` when it did not settle within a few seconds: its `turn.failed` follows on the event stream.
             * @enum {string}
             */
            status: "queued" | "processing" | "retrying" | "completed" | "failed";
            /** @description How the turn failed: `{code: "cancelled", …}` */
            error: {
                /** @example turn_in_progress */
                code: string;
                message: string;
                details?: unknown;
                request_id?: string;
            } | null;
        };
        SessionSummary: {
            session_id: string;
            story_id: string;
            /** @description null when the story is gone or no longer visible */
            story_title: string | null;
            turn_no: number;
            /** @enum {string} */
            status: "active" | "ended";
            /** @description The start of the current scene text */
            preview: string;
            /**
             * @description Yours, or a shared session you joined as a player or spectator
             * @enum {string}
             */
            role: "owner" | "player" | "spectator";
            created_at: string;
            /** @description When the last turn was committed */
            updated_at: string;
        };
        Memory: {
            id: string;
            session_id: string;
            /** @description The turn the memory comes from */
            turn_no: number;
            kind: components["schemas"]["MemoryKind"];
            text: string;
            importance: number;
            /** @description Pinned memories enter every turn’s context */
            pinned: boolean;
            /** @description Cosine similarity to `q`, when searching */
            score?: number;
        };
        /** @enum {string} */
        MemoryKind: "event" | "fact" | "summary" | "card";
        LorebookImport: {
            /**
             * @description What the file was recognised as (from its content, never its name)
             * @enum {string}
             */
            format: "sillytavern_world_info" | "sillytavern_character_v1" | "sillytavern_character_v2" | "sillytavern_character_v3" | "novelai_lorebook" | "ai_dungeon_story_cards";
            /** @description The cards created, in the order they now have (a long text is split into several, named "… (1/2)") */
            imported: {
                card_id: string;
                name: string;
                /** @description Where in the file: `entries.3`, `data.description`, `data.character_book.entries.0` */
                source: string;
            }[];
            /** @description Entries not imported, and why (a feature cards cannot express, disabled, no text…) */
            skipped: {
                source: string;
                name?: string;
                reason: string;
            }[];
        };
        WorldInfo: {
            entries: {
                [key: string]: {
                    uid: number;
                    key: string[];
                    comment: string;
                    content: string;
                    constant: boolean;
                    order: number;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        Card: {
            id: string;
            story_id: string | null;
            session_id: string | null;
            name: string;
            /** @description Plain keywords (case-insensitive) or `/regex/flags` */
            keywords: string[];
            text: string;
            /** @description Active only while this holds: variables (`trust >= 3`, `met_keeper`), `visits("knot.stitch") > 0`, `turn`, with and/or/not; checked against the story (422 card_condition_invalid) */
            when: string | null;
            created_at: string;
            updated_at: string;
        };
        InkCard: {
            name: string;
            keywords: string[];
            text: string;
            when: string | null;
        };
        Asset: {
            name: string;
            size: number;
            /** @description Where to read it (the story’s access rules apply) */
            url: string;
        };
        ActionAccepted: {
            task_id: string;
            /**
             * @description `queued`: a shared session's action waits in line or in the open vote
             * @enum {string}
             */
            status: "processing" | "queued";
            /** @description With `queued`: the action's 1-based place in the session's line (or among the vote's actions) */
            position?: number;
        };
        TaskStatus: {
            task_id: string;
            session_id: string;
            /** @enum {string} */
            status: "queued" | "processing" | "retrying" | "completed" | "failed";
            attempts: number;
            result: components["schemas"]["Turn"] | {
                /** @example turn_in_progress */
                code: string;
                message: string;
                details?: unknown;
                request_id?: string;
            } | null;
            /** @description A shared session's waiting action: its 1-based place in line */
            position?: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
