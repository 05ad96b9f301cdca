// Generated from GET /openapi.json by `npm run api-types` (openapi-typescript). Do not edit.

export interface paths {
    "/v1/webhooks/stripe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stripe webhook endpoint: verified, stored once, queued, answered at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": unknown;
                };
            };
            responses: {
                /** @description Stored (or already stored) as received, where the workers claim it from; answered before it is applied */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            received: true;
                            id: string;
                        };
                    };
                };
                /** @description Missing, forged, tampered or stale signature, or not a Stripe event (invalid_signature) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Body larger than any Stripe event (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The event store is unavailable; Stripe delivers the event again later (service_unavailable) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Up */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            status: "ok";
                        };
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
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Database (and Redis, when configured) reachable, migrations applied */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready" | "not_ready";
                            checks: {
                                database: string;
                                migrations: string;
                                redis?: string;
                            };
                        };
                    };
                };
                /** @description Not ready */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready" | "not_ready";
                            checks: {
                                database: string;
                                migrations: string;
                                redis?: string;
                            };
                        };
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
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OpenAPI 3.1 document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
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
    "/v1/campaigns/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A campaign as the donate page needs it, with its current progress */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The campaign; served with a strong ETag, CDN cache headers and Surrogate-Key: campaign-{slug} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            slug: string;
                            name: string;
                            description: string;
                            currency: string;
                            timezone: string;
                            goal: {
                                /** @enum {string} */
                                period: "monthly" | "total";
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            };
                            tiers: {
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                                label: string;
                                description: string;
                            }[];
                            amount_presets: number[];
                            /** @description integer amount in the currency minor unit */
                            min_amount: number;
                            /** @description integer amount in the currency minor unit */
                            max_amount: number;
                            /** @enum {string} */
                            status: "active" | "paused" | "archived";
                            show_amounts: boolean;
                            /** @description the processing fee a checkout's cover_fees adds: ceil((amount + fixed) / (1 - percent/100)) - amount, three-decimal currencies rounded up to a multiple of 10 (FEE_PERCENT, FEE_FIXED) */
                            fees: {
                                percent: number;
                                /** @description integer amount in the currency minor unit */
                                fixed: number;
                            };
                            progress: {
                                campaign: string;
                                period: {
                                    /** @enum {string} */
                                    type: "monthly" | "total";
                                    key: string;
                                    label: string;
                                    starts_at: string;
                                    ends_at: string | null;
                                };
                                currency: string;
                                /** @description integer amount in the currency minor unit */
                                goal: number;
                                /** @description integer amount in the currency minor unit */
                                raised: number;
                                /** @description Monthly periods only: what active monthly donors are still due to give this month; never part of raised, 0 for a month that is over */
                                pledged?: number;
                                percent: number;
                                donations_count: number;
                                donors_count: number;
                                tiers: {
                                    /** @description integer amount in the currency minor unit */
                                    amount: number;
                                    label: string;
                                    reached: boolean;
                                    reached_at: string | null;
                                }[];
                                next_tier: {
                                    /** @description integer amount in the currency minor unit */
                                    amount: number;
                                    label: string;
                                    /** @description integer amount in the currency minor unit */
                                    remaining: number;
                                } | null;
                                updated_at: string;
                            };
                        };
                    };
                };
                /** @description Not modified (If-None-Match matched the ETag) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/campaigns/{slug}/progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A period's progress toward the goal (this month unless ?month=YYYY-MM) */
        get: {
            parameters: {
                query?: {
                    month?: string;
                };
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Progress; served with a strong ETag, CDN cache headers and Surrogate-Key: campaign-{slug} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            campaign: string;
                            period: {
                                /** @enum {string} */
                                type: "monthly" | "total";
                                key: string;
                                label: string;
                                starts_at: string;
                                ends_at: string | null;
                            };
                            currency: string;
                            /** @description integer amount in the currency minor unit */
                            goal: number;
                            /** @description integer amount in the currency minor unit */
                            raised: number;
                            /** @description Monthly periods only: what active monthly donors are still due to give this month; never part of raised, 0 for a month that is over */
                            pledged?: number;
                            percent: number;
                            donations_count: number;
                            donors_count: number;
                            tiers: {
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                                label: string;
                                reached: boolean;
                                reached_at: string | null;
                            }[];
                            next_tier: {
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                                label: string;
                                /** @description integer amount in the currency minor unit */
                                remaining: number;
                            } | null;
                            updated_at: string;
                        };
                    };
                };
                /** @description Not modified (If-None-Match matched the ETag) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/campaigns/{slug}/supporters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The donor wall: who gave, newest first (anonymous donors without name, message or amount) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of supporters; CDN cache headers, a strong ETag and Surrogate-Key: campaign-{slug} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description null for anonymous donors */
                                name: string | null;
                                /** @description null for anonymous donors and messages an admin hid */
                                message: string | null;
                                /** @description what the donation counts now; only when the campaign's show_amounts is on, never for anonymous donors */
                                amount?: number;
                                currency?: string;
                                /** @description when the donation was paid */
                                created_at: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Not modified (If-None-Match matched the ETag) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/campaigns/{slug}/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a donation: creates a Stripe Checkout Session (one-time or monthly) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the donation in minor units, fees excluded */
                        amount: number;
                        /**
                         * @default one_time
                         * @enum {string}
                         */
                        frequency?: "one_time" | "monthly";
                        currency?: string;
                        /** Format: email */
                        email?: string;
                        name?: string;
                        /** @default false */
                        anonymous?: boolean;
                        message?: string;
                        /**
                         * @description the donor adds the processing fee on top
                         * @default false
                         */
                        cover_fees?: boolean;
                        /** @description where Stripe sends the donor after paying; {CHECKOUT_SESSION_ID} is added if missing */
                        success_url?: string;
                        cancel_url?: string;
                        /** @description where the donation came from, e.g. "newsletter" or an article slug */
                        source?: string;
                        utm_source?: string;
                        utm_medium?: string;
                        utm_campaign?: string;
                        /**
                         * @description the donor's language (en, de, fr, es): Stripe Checkout's page, the thank-you page and the mails use it
                         * @enum {string}
                         */
                        locale?: "en" | "de" | "fr" | "es";
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description the donation in minor units, fees excluded */
                        amount: number;
                        /**
                         * @default one_time
                         * @enum {string}
                         */
                        frequency?: "one_time" | "monthly";
                        currency?: string;
                        /** Format: email */
                        email?: string;
                        name?: string;
                        /** @default false */
                        anonymous?: boolean;
                        message?: string;
                        /**
                         * @description the donor adds the processing fee on top
                         * @default false
                         */
                        cover_fees?: boolean;
                        /** @description where Stripe sends the donor after paying; {CHECKOUT_SESSION_ID} is added if missing */
                        success_url?: string;
                        cancel_url?: string;
                        /** @description where the donation came from, e.g. "newsletter" or an article slug */
                        source?: string;
                        utm_source?: string;
                        utm_medium?: string;
                        utm_campaign?: string;
                        /**
                         * @description the donor's language (en, de, fr, es): Stripe Checkout's page, the thank-you page and the mails use it
                         * @enum {string}
                         */
                        locale?: "en" | "de" | "fr" | "es";
                    };
                };
            };
            responses: {
                /** @description The Checkout Session to send the donor to (JSON requests) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            expires_at: string;
                        };
                    };
                };
                /** @description Redirect to the Checkout page (HTML form posts) */
                303: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The campaign is paused (campaign_not_accepting), or the Idempotency-Key was used with another body (idempotency_conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Neither JSON nor a form (unsupported_media_type) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Too many attempts from this address (rate_limited); see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Stripe could not be reached or refused (stripe_error); nothing was charged */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/checkout/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A checkout's status and, once Stripe confirmed it, its donation (for thank-you pages) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    session_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The checkout */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "open" | "complete" | "expired";
                            campaign: string;
                            campaign_name: string;
                            amount: number;
                            fee_amount: number;
                            currency: string;
                            /** @enum {string} */
                            frequency: "one_time" | "monthly";
                            /** @description the donor's language as the checkout named it (null: not given) */
                            locale: ("en" | "de" | "fr" | "es") | null;
                            donation: {
                                id: string;
                                amount: number;
                                fee_amount: number;
                                currency: string;
                                /** @enum {string} */
                                frequency: "one_time" | "monthly";
                                status: string;
                                receipt_number: string | null;
                                paid_at: string | null;
                                /** @description null for anonymous donors */
                                donor_name: string | null;
                            } | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/checkout/thanks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Default thank-you page Stripe returns donors to */
        get: {
            parameters: {
                query: {
                    session_id: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/checkout/canceled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Default page for donors who left the Stripe Checkout page without paying */
        get: {
            parameters: {
                query?: {
                    campaign?: string;
                    lang?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/donor/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mails a fresh manage link to a monthly donor (always 202: it never tells whether the email is known) */
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
                        /** Format: email */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Accepted; a link is mailed if the email has monthly donations */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            status: "accepted";
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Too many requests (rate_limited) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/donor/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The manage link's donor's monthly donations (Authorization: Bearer <manage token>) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Monthly donations, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: string;
                                /** @description the campaign's slug */
                                campaign: string;
                                /** @description the monthly donation in minor units, covered fees excluded */
                                amount: number;
                                currency: string;
                                /** @enum {string} */
                                status: "active" | "past_due" | "paused" | "canceled";
                                started_at: string;
                                next_payment_at: string | null;
                                canceled_at: string | null;
                            }[];
                        };
                    };
                };
                /** @description Missing, tampered or expired manage link (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/donor/subscriptions/{id}": {
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
        /** Changes the monthly amount from the next payment, without proration, within the campaign's limits */
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
                        /** @description the new monthly donation in minor units, fees excluded */
                        amount: number;
                    };
                };
            };
            responses: {
                /** @description The changed monthly donation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the campaign's slug */
                            campaign: string;
                            /** @description the monthly donation in minor units, covered fees excluded */
                            amount: number;
                            currency: string;
                            /** @enum {string} */
                            status: "active" | "past_due" | "paused" | "canceled";
                            started_at: string;
                            next_payment_at: string | null;
                            canceled_at: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing, tampered or expired manage link (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The monthly donation was stopped and cannot be changed (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/donor/subscriptions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stops the monthly donation at once: nothing more is charged */
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
                /** @description The stopped monthly donation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description the campaign's slug */
                            campaign: string;
                            /** @description the monthly donation in minor units, covered fees excluded */
                            amount: number;
                            currency: string;
                            /** @enum {string} */
                            status: "active" | "past_due" | "paused" | "canceled";
                            started_at: string;
                            next_payment_at: string | null;
                            canceled_at: string | null;
                        };
                    };
                };
                /** @description Missing, tampered or expired manage link (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The monthly donation was stopped and cannot be changed (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/donor/subscriptions/{id}/payment-method": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A Stripe Billing Portal page to update the donation's card, returning to the manage page */
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
                /** @description Where to send the donor */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            url: string;
                        };
                    };
                };
                /** @description Missing, tampered or expired manage link (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The monthly donation was stopped and cannot be changed (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/campaigns/{slug}/progress/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live progress (Server-Sent Events): a `progress` event at connect and on every change; a reconnect with Last-Event-ID gets only figures it does not have yet */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream: `event: progress` with the same JSON body as GET /v1/campaigns/{slug}/progress and `id:` its version (the ETag without quotes), sent at connect (unless Last-Event-ID is that version) and whenever the figures change; a jittered `retry:` hint; comment lines as heartbeats. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Too many open streams from this client, an IPv4 address or an IPv6 /64 (rate_limited) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description This process holds its maximum of streams, or is shutting down (service_unavailable, with Retry-After) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: HTTP latency, Stripe events, queues and jobs, donations, receipts, deliveries */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description METRICS_TOKEN is set and the request did not carry it as a Bearer token (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/widget.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The embeddable progress bar and donate form: <goalpost-progress campaign="slug"> */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description JavaScript defining the custom element */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/javascript": string;
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
    "/widget/demo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page showing the widget for one campaign, as a publisher would embed it */
        get: {
            parameters: {
                query: {
                    campaign: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/admin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The progress dashboard (sign in with an API key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
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
    "/admin/dashboard.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dashboard's script */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description JavaScript */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/javascript": string;
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
    "/admin/dashboard.css": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dashboard's stylesheet */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description CSS */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/css": string;
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
    "/donor/manage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A monthly donor's manage page (the link in receipts: ?token=…) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
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
    "/donor/manage.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The manage page's script */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description JavaScript */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/javascript": string;
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
    "/donor/manage.css": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The manage page's stylesheet */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description CSS */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/css": string;
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
    "/admin/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The queue dashboard (bull-board): admin key in the Authorization header, or an admin dashboard session (POST /v1/admin/sessions) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The dashboard (HTML); its own JSON API lives under this path */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description A browser without a key is sent to /admin to sign in */
                303: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in to the dashboard: exchanges an API key for a session cookie (HttpOnly, SameSite=Strict) and a CSRF token */
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
                        /** @description an API key (read or admin); exchanged once, never stored by the browser */
                        key: string;
                    };
                };
            };
            responses: {
                /** @description Signed in; the session cookie is set */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            /** @enum {string} */
                            scope: "read" | "admin";
                            /** @description send it back in the X-CSRF-Token header on every write made with the session cookie */
                            csrf_token: string;
                            /** Format: date-time */
                            expires_at: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key is not valid or has been revoked (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Too many failed sign-ins from this address (rate_limited); see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This browser's dashboard session (name, scope, CSRF token, expiry), read after a page reload; 204 when it has none */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
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
                        "application/json": {
                            name: string;
                            /** @enum {string} */
                            scope: "read" | "admin";
                            /** @description send it back in the X-CSRF-Token header on every write made with the session cookie */
                            csrf_token: string;
                            /** Format: date-time */
                            expires_at: string;
                        };
                    };
                };
                /** @description No session cookie, or the session has ended: sign in */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        /** Sign out: revokes this browser's session and clears its cookie (with the cookie, the X-CSRF-Token header is required) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List campaigns, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    status?: "active" | "paused" | "archived";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of campaigns */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                slug: string;
                                name: string;
                                description: string;
                                currency: string;
                                timezone: string;
                                goal: {
                                    /** @enum {string} */
                                    period: "monthly" | "total";
                                    /** @description integer amount in the currency minor unit */
                                    amount: number;
                                };
                                tiers: {
                                    /** @description integer amount in the currency minor unit */
                                    amount: number;
                                    label: string;
                                    description: string;
                                }[];
                                amount_presets: number[];
                                /** @description integer amount in the currency minor unit */
                                min_amount: number;
                                /** @description integer amount in the currency minor unit */
                                max_amount: number;
                                /** @enum {string} */
                                status: "active" | "paused" | "archived";
                                show_amounts: boolean;
                                allowed_redirect_origins: string[];
                                receipt_settings: {
                                    org_name?: string;
                                    org_address?: string;
                                    org_tax_id?: string;
                                    tax_sentence?: string;
                                };
                                created_at: string;
                                updated_at: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a campaign with its goal and tiers */
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
                        slug: string;
                        currency: string;
                        name: string;
                        /** @default  */
                        description?: string;
                        timezone: string;
                        goal: {
                            /** @enum {string} */
                            period: "monthly" | "total";
                            amount: number;
                        };
                        /** @default [] */
                        tiers?: {
                            amount: number;
                            label: string;
                            /** @default  */
                            description?: string;
                        }[];
                        /** @default [] */
                        amount_presets?: number[];
                        min_amount?: number;
                        /** @default 99999999 */
                        max_amount?: number;
                        /** @default [] */
                        allowed_redirect_origins?: string[];
                        /**
                         * @default active
                         * @enum {string}
                         */
                        status?: "active" | "paused" | "archived";
                        /** @default {} */
                        receipt_settings?: {
                            org_name?: string;
                            org_address?: string;
                            org_tax_id?: string;
                            tax_sentence?: string;
                        };
                        /**
                         * @description the supporters wall shows how much each donor gave
                         * @default false
                         */
                        show_amounts?: boolean;
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            slug: string;
                            name: string;
                            description: string;
                            currency: string;
                            timezone: string;
                            goal: {
                                /** @enum {string} */
                                period: "monthly" | "total";
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            };
                            tiers: {
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                                label: string;
                                description: string;
                            }[];
                            amount_presets: number[];
                            /** @description integer amount in the currency minor unit */
                            min_amount: number;
                            /** @description integer amount in the currency minor unit */
                            max_amount: number;
                            /** @enum {string} */
                            status: "active" | "paused" | "archived";
                            show_amounts: boolean;
                            allowed_redirect_origins: string[];
                            receipt_settings: {
                                org_name?: string;
                                org_address?: string;
                                org_tax_id?: string;
                                tax_sentence?: string;
                            };
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The slug is taken (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/campaigns/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one campaign */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The campaign */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            slug: string;
                            name: string;
                            description: string;
                            currency: string;
                            timezone: string;
                            goal: {
                                /** @enum {string} */
                                period: "monthly" | "total";
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            };
                            tiers: {
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                                label: string;
                                description: string;
                            }[];
                            amount_presets: number[];
                            /** @description integer amount in the currency minor unit */
                            min_amount: number;
                            /** @description integer amount in the currency minor unit */
                            max_amount: number;
                            /** @enum {string} */
                            status: "active" | "paused" | "archived";
                            show_amounts: boolean;
                            allowed_redirect_origins: string[];
                            receipt_settings: {
                                org_name?: string;
                                org_address?: string;
                                org_tax_id?: string;
                                tax_sentence?: string;
                            };
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update a campaign; a goal or tier change applies to the current and future months only */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        description?: string;
                        timezone?: string;
                        goal?: {
                            /** @enum {string} */
                            period: "monthly" | "total";
                            amount: number;
                        };
                        tiers?: {
                            amount: number;
                            label: string;
                            /** @default  */
                            description?: string;
                        }[];
                        amount_presets?: number[];
                        min_amount?: number;
                        max_amount?: number;
                        allowed_redirect_origins?: string[];
                        /** @enum {string} */
                        status?: "active" | "paused" | "archived";
                        receipt_settings?: {
                            org_name?: string;
                            org_address?: string;
                            org_tax_id?: string;
                            tax_sentence?: string;
                        };
                        /** @description the supporters wall shows how much each donor gave */
                        show_amounts?: boolean;
                    };
                };
            };
            responses: {
                /** @description The updated campaign */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            slug: string;
                            name: string;
                            description: string;
                            currency: string;
                            timezone: string;
                            goal: {
                                /** @enum {string} */
                                period: "monthly" | "total";
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            };
                            tiers: {
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                                label: string;
                                description: string;
                            }[];
                            amount_presets: number[];
                            /** @description integer amount in the currency minor unit */
                            min_amount: number;
                            /** @description integer amount in the currency minor unit */
                            max_amount: number;
                            /** @enum {string} */
                            status: "active" | "paused" | "archived";
                            show_amounts: boolean;
                            allowed_redirect_origins: string[];
                            receipt_settings: {
                                org_name?: string;
                                org_address?: string;
                                org_tax_id?: string;
                                tax_sentence?: string;
                            };
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/admin/campaigns/{slug}/months": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monthly history, newest first, months without donations included */
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                };
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One row per month */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                month: string;
                                label: string;
                                goal: number;
                                raised: number;
                                refunded: number;
                                donations_count: number;
                                donors_count: number;
                                tiers_reached: number[];
                                /** @description raised from one-time donations (offline money included); with raised_monthly it sums to raised */
                                raised_one_time: number;
                                /** @description raised from monthly donations */
                                raised_monthly: number;
                                /** @description active monthly donations at the month's end (now, for the current month) */
                                monthly_active: number;
                                /** @description their monthly amounts summed (a past month: each one's last payment by the month's end) */
                                monthly_committed: number;
                                /** @description monthly donations started in the month */
                                monthly_new: number;
                                /** @description monthly donations canceled in the month */
                                monthly_canceled: number;
                            }[];
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/campaigns/{slug}/months/{month}/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A month's money by attribution: source (default), or ?by=utm_source|utm_medium|utm_campaign */
        get: {
            parameters: {
                query?: {
                    by?: "source" | "utm_source" | "utm_medium" | "utm_campaign";
                };
                header?: never;
                path: {
                    slug: string;
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One row per value, largest first; null collects donations without one */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            month: string;
                            label: string;
                            currency: string;
                            /** @enum {string} */
                            by: "source" | "utm_source" | "utm_medium" | "utm_campaign";
                            data: {
                                /** @description the source (or UTM value); null for donations without one (offline money, direct visits) */
                                value: string | null;
                                /** @description what these donations add to the month now */
                                raised: number;
                                donations_count: number;
                            }[];
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List active API keys (never the keys themselves) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Keys */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                scope: "read" | "admin";
                                prefix: string;
                                created_at: string;
                                last_used_at: string | null;
                            }[];
                            next_cursor: null;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Mint an API key; the key is in this response only */
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
                        /** @enum {string} */
                        scope: "read" | "admin";
                    };
                };
            };
            responses: {
                /** @description The new key, shown once */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /** @enum {string} */
                            scope: "read" | "admin";
                            prefix: string;
                            created_at: string;
                            last_used_at: string | null;
                            key: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
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
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The presented API key's (or session's) name and scope (what the dashboard may show and do) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The key */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            /** @enum {string} */
                            scope: "read" | "admin";
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/donations/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All donations matching the filters as CSV (RFC 4180, header row, newest first), streamed */
        get: {
            parameters: {
                query?: {
                    campaign?: string;
                    month?: string;
                    status?: "pending" | "succeeded" | "failed" | "expired";
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description CSV; amounts in minor units; cells a spreadsheet would run as formulas start with an apostrophe */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/donations/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refunds (part of) a donation through Stripe; the ledger changes when Stripe's refund event arrives */
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
                        /** @description minor units of the charge; omit to refund all that is left */
                        amount?: number;
                    };
                };
            };
            responses: {
                /** @description Stripe accepted the refund request */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the Stripe refund id */
                            id: string;
                            status: string;
                            amount: number;
                            currency: string;
                            donation_id: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not refundable: not succeeded, already refunded in full, or disputed (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Stripe refused or could not be reached (stripe_error) */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/donations/{id}/receipt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the receipt again, as a copy marked COPY (a new mail every call) */
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
                /** @description The copy is queued */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            /**
                             * @description receipt, copy (sent again by an admin), refund (confirmation), statement (annual), payment_failed (a monthly renewal failed) or manage_link (a donor asked for their manage link)
                             * @enum {string}
                             */
                            kind: "receipt" | "copy" | "refund" | "statement" | "payment_failed" | "manage_link";
                            donation_id: string | null;
                            /** @description the donation's receipt number; null for statements */
                            receipt_number: string | null;
                            to_email: string;
                            /** @enum {string} */
                            status: "pending" | "sending" | "sent" | "failed";
                            attempts: number;
                            /** @description why the latest attempt failed */
                            last_error: string | null;
                            message_id: string | null;
                            created_at: string;
                            sent_at: string | null;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The donation has not succeeded or has no donor email (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/donations/{id}/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A donation's mails (receipt, copies, refund confirmations) with their delivery state, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of receipts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: number;
                                /**
                                 * @description receipt, copy (sent again by an admin), refund (confirmation), statement (annual), payment_failed (a monthly renewal failed) or manage_link (a donor asked for their manage link)
                                 * @enum {string}
                                 */
                                kind: "receipt" | "copy" | "refund" | "statement" | "payment_failed" | "manage_link";
                                donation_id: string | null;
                                /** @description the donation's receipt number; null for statements */
                                receipt_number: string | null;
                                to_email: string;
                                /** @enum {string} */
                                status: "pending" | "sending" | "sent" | "failed";
                                attempts: number;
                                /** @description why the latest attempt failed */
                                last_error: string | null;
                                message_id: string | null;
                                created_at: string;
                                sent_at: string | null;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All mails, newest first; ?status=failed lists those that exhausted their attempts, with the error */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    status?: "pending" | "sending" | "sent" | "failed";
                    kind?: "receipt" | "copy" | "refund" | "statement" | "payment_failed" | "manage_link";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of receipts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: number;
                                /**
                                 * @description receipt, copy (sent again by an admin), refund (confirmation), statement (annual), payment_failed (a monthly renewal failed) or manage_link (a donor asked for their manage link)
                                 * @enum {string}
                                 */
                                kind: "receipt" | "copy" | "refund" | "statement" | "payment_failed" | "manage_link";
                                donation_id: string | null;
                                /** @description the donation's receipt number; null for statements */
                                receipt_number: string | null;
                                to_email: string;
                                /** @enum {string} */
                                status: "pending" | "sending" | "sent" | "failed";
                                attempts: number;
                                /** @description why the latest attempt failed */
                                last_error: string | null;
                                message_id: string | null;
                                created_at: string;
                                sent_at: string | null;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/statements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send each donor (or one) a summary of the year's donations and refunds with totals per currency. Every call sends again; a retry with the same Idempotency-Key queues nothing new. */
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
                        year: number;
                        /** Format: email */
                        email?: string;
                    };
                };
            };
            responses: {
                /** @description Statements queued: one per donor with donations or refunds in the year */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            year: number;
                            queued: number;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/campaigns/{slug}/offline-donations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record money received outside Stripe (cheque, bank transfer, cash); it counts in the month it was received */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description minor units of the campaign currency */
                        amount: number;
                        /** @description must be the campaign's when given */
                        currency?: string;
                        /** @description when the money arrived: YYYY-MM-DD (that day in the campaign timezone) or an ISO 8601 date-time with an offset; it counts in that month */
                        received_at: string;
                        /** @enum {string} */
                        method: "check" | "bank_transfer" | "cash" | "other";
                        /** @description cheque number, transfer reference…; unique per campaign */
                        reference: string;
                        donor?: {
                            name?: string;
                            /** Format: email */
                            email?: string;
                        };
                        /**
                         * @description number the donation and mail the donor a receipt
                         * @default false
                         */
                        send_receipt?: boolean;
                    };
                };
            };
            responses: {
                /** @description The recorded donation */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            campaign: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed" | "expired";
                            /** @enum {string} */
                            frequency: "one_time" | "monthly";
                            /** @description what counts toward the goal (covered fee excluded) */
                            amount: number;
                            /** @description the processing fee the donor chose to cover */
                            fee_amount: number;
                            currency: string;
                            /** @description what refunds took from the goal (at most amount) */
                            refunded_amount: number;
                            /** @description what an open or lost dispute keeps out of the goal */
                            disputed_amount: number;
                            /** @description what this donation adds to its month now */
                            net_amount: number;
                            /** @description Stripe's amount_refunded on the charge, covered fee included */
                            charge_refunded_amount: number;
                            dispute: {
                                id: string;
                                status: ("open" | "won" | "lost") | null;
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            } | null;
                            donor: {
                                email: string | null;
                                name: string | null;
                                anonymous: boolean;
                            };
                            message: string | null;
                            /** @description an admin hid the message from the supporters wall */
                            message_hidden: boolean;
                            /**
                             * @description paid through Stripe, or recorded by an admin (offline money, imports)
                             * @enum {string}
                             */
                            origin: "stripe" | "offline";
                            /** @description how offline money arrived; null for Stripe donations */
                            offline: {
                                /** @enum {string} */
                                method: "check" | "bank_transfer" | "cash" | "other";
                                reference: string;
                                voided_at: string | null;
                            } | null;
                            attribution: {
                                source: string | null;
                                utm_source: string | null;
                                utm_medium: string | null;
                                utm_campaign: string | null;
                            };
                            /** @description the donor's language, as the checkout named it (a renewal: its monthly donation's checkout); null when it named none, and for offline money */
                            locale: ("en" | "de" | "fr" | "es") | null;
                            /** @description YYYY-MM of the payment in the campaign timezone; null until paid */
                            month: string | null;
                            paid_at: string | null;
                            receipt_number: string | null;
                            stripe: {
                                checkout_session_id: string | null;
                                payment_intent_id: string | null;
                                charge_id: string | null;
                                invoice_id: string | null;
                                subscription_id: string | null;
                            };
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The campaign already has a donation with this reference (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/campaigns/{slug}/offline-donations/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import past donations from a CSV file, streamed; ?dry_run=true checks every row and writes nothing */
        post: {
            parameters: {
                query?: {
                    dry_run?: "true" | "false";
                };
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "text/csv": unknown;
                };
            };
            responses: {
                /** @description Streamed as rows are committed (a row reported "ok" is in the ledger): one result per data row, then a summary. Rows already imported (same reference) are "skipped"; a row with any problem is an "error" with the reason and is not written. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dry_run: boolean;
                            results: {
                                /** @description the data row, from 1 (the header is not counted) */
                                row: number;
                                /** @description the line of the file the row starts on */
                                line: number;
                                reference: string | null;
                                /** @enum {string} */
                                status: "ok" | "skipped" | "error";
                                /** @description the donation made (not in a dry run) */
                                donation_id: string | null;
                                reason: string | null;
                                errors: {
                                    field: string;
                                    message: string;
                                }[];
                            }[];
                            summary: {
                                rows: number;
                                ok: number;
                                skipped: number;
                                error: number;
                                /** @description set when the import stopped early on our side; rows reported ok stay imported, and running the file again continues it */
                                aborted: string | null;
                            };
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not text/csv (unsupported_media_type) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/donations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One donation with its ledger entries, Stripe ids and receipt status */
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
                /** @description The donation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            campaign: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed" | "expired";
                            /** @enum {string} */
                            frequency: "one_time" | "monthly";
                            /** @description what counts toward the goal (covered fee excluded) */
                            amount: number;
                            /** @description the processing fee the donor chose to cover */
                            fee_amount: number;
                            currency: string;
                            /** @description what refunds took from the goal (at most amount) */
                            refunded_amount: number;
                            /** @description what an open or lost dispute keeps out of the goal */
                            disputed_amount: number;
                            /** @description what this donation adds to its month now */
                            net_amount: number;
                            /** @description Stripe's amount_refunded on the charge, covered fee included */
                            charge_refunded_amount: number;
                            dispute: {
                                id: string;
                                status: ("open" | "won" | "lost") | null;
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            } | null;
                            donor: {
                                email: string | null;
                                name: string | null;
                                anonymous: boolean;
                            };
                            message: string | null;
                            /** @description an admin hid the message from the supporters wall */
                            message_hidden: boolean;
                            /**
                             * @description paid through Stripe, or recorded by an admin (offline money, imports)
                             * @enum {string}
                             */
                            origin: "stripe" | "offline";
                            /** @description how offline money arrived; null for Stripe donations */
                            offline: {
                                /** @enum {string} */
                                method: "check" | "bank_transfer" | "cash" | "other";
                                reference: string;
                                voided_at: string | null;
                            } | null;
                            attribution: {
                                source: string | null;
                                utm_source: string | null;
                                utm_medium: string | null;
                                utm_campaign: string | null;
                            };
                            /** @description the donor's language, as the checkout named it (a renewal: its monthly donation's checkout); null when it named none, and for offline money */
                            locale: ("en" | "de" | "fr" | "es") | null;
                            /** @description YYYY-MM of the payment in the campaign timezone; null until paid */
                            month: string | null;
                            paid_at: string | null;
                            receipt_number: string | null;
                            stripe: {
                                checkout_session_id: string | null;
                                payment_intent_id: string | null;
                                charge_id: string | null;
                                invoice_id: string | null;
                                subscription_id: string | null;
                            };
                            created_at: string;
                            updated_at: string;
                            ledger_entries: {
                                id: number;
                                /** @enum {string} */
                                kind: "donation" | "refund" | "dispute" | "dispute_reversal" | "offline" | "offline_void";
                                /** @description signed: refunds and disputes negative */
                                amount: number;
                                currency: string;
                                month: string;
                                /** @description the Stripe object behind the entry, or offline:<donation id> */
                                source_id: string;
                                stripe_event_id: string | null;
                                created_at: string;
                            }[];
                            /** @description the receipt mail; null before the donation succeeds or without a donor email */
                            receipt: {
                                /** @enum {string} */
                                status: "pending" | "sending" | "sent" | "failed";
                                to_email: string;
                                attempts: number;
                                sent_at: string | null;
                                last_error: string | null;
                            } | null;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Void an offline donation: a reversing ledger entry takes it out of its month (nothing is deleted) */
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
                /** @description The voided donation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            campaign: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed" | "expired";
                            /** @enum {string} */
                            frequency: "one_time" | "monthly";
                            /** @description what counts toward the goal (covered fee excluded) */
                            amount: number;
                            /** @description the processing fee the donor chose to cover */
                            fee_amount: number;
                            currency: string;
                            /** @description what refunds took from the goal (at most amount) */
                            refunded_amount: number;
                            /** @description what an open or lost dispute keeps out of the goal */
                            disputed_amount: number;
                            /** @description what this donation adds to its month now */
                            net_amount: number;
                            /** @description Stripe's amount_refunded on the charge, covered fee included */
                            charge_refunded_amount: number;
                            dispute: {
                                id: string;
                                status: ("open" | "won" | "lost") | null;
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            } | null;
                            donor: {
                                email: string | null;
                                name: string | null;
                                anonymous: boolean;
                            };
                            message: string | null;
                            /** @description an admin hid the message from the supporters wall */
                            message_hidden: boolean;
                            /**
                             * @description paid through Stripe, or recorded by an admin (offline money, imports)
                             * @enum {string}
                             */
                            origin: "stripe" | "offline";
                            /** @description how offline money arrived; null for Stripe donations */
                            offline: {
                                /** @enum {string} */
                                method: "check" | "bank_transfer" | "cash" | "other";
                                reference: string;
                                voided_at: string | null;
                            } | null;
                            attribution: {
                                source: string | null;
                                utm_source: string | null;
                                utm_medium: string | null;
                                utm_campaign: string | null;
                            };
                            /** @description the donor's language, as the checkout named it (a renewal: its monthly donation's checkout); null when it named none, and for offline money */
                            locale: ("en" | "de" | "fr" | "es") | null;
                            /** @description YYYY-MM of the payment in the campaign timezone; null until paid */
                            month: string | null;
                            paid_at: string | null;
                            receipt_number: string | null;
                            stripe: {
                                checkout_session_id: string | null;
                                payment_intent_id: string | null;
                                charge_id: string | null;
                                invoice_id: string | null;
                                subscription_id: string | null;
                            };
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description A Stripe donation (refund it instead) or one already voided (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Hide a donor's message from the supporters wall (or show it again); the message itself is kept */
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
                        message_hidden: boolean;
                    };
                };
            };
            responses: {
                /** @description The donation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            campaign: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed" | "expired";
                            /** @enum {string} */
                            frequency: "one_time" | "monthly";
                            /** @description what counts toward the goal (covered fee excluded) */
                            amount: number;
                            /** @description the processing fee the donor chose to cover */
                            fee_amount: number;
                            currency: string;
                            /** @description what refunds took from the goal (at most amount) */
                            refunded_amount: number;
                            /** @description what an open or lost dispute keeps out of the goal */
                            disputed_amount: number;
                            /** @description what this donation adds to its month now */
                            net_amount: number;
                            /** @description Stripe's amount_refunded on the charge, covered fee included */
                            charge_refunded_amount: number;
                            dispute: {
                                id: string;
                                status: ("open" | "won" | "lost") | null;
                                /** @description integer amount in the currency minor unit */
                                amount: number;
                            } | null;
                            donor: {
                                email: string | null;
                                name: string | null;
                                anonymous: boolean;
                            };
                            message: string | null;
                            /** @description an admin hid the message from the supporters wall */
                            message_hidden: boolean;
                            /**
                             * @description paid through Stripe, or recorded by an admin (offline money, imports)
                             * @enum {string}
                             */
                            origin: "stripe" | "offline";
                            /** @description how offline money arrived; null for Stripe donations */
                            offline: {
                                /** @enum {string} */
                                method: "check" | "bank_transfer" | "cash" | "other";
                                reference: string;
                                voided_at: string | null;
                            } | null;
                            attribution: {
                                source: string | null;
                                utm_source: string | null;
                                utm_medium: string | null;
                                utm_campaign: string | null;
                            };
                            /** @description the donor's language, as the checkout named it (a renewal: its monthly donation's checkout); null when it named none, and for offline money */
                            locale: ("en" | "de" | "fr" | "es") | null;
                            /** @description YYYY-MM of the payment in the campaign timezone; null until paid */
                            month: string | null;
                            paid_at: string | null;
                            receipt_number: string | null;
                            stripe: {
                                checkout_session_id: string | null;
                                payment_intent_id: string | null;
                                charge_id: string | null;
                                invoice_id: string | null;
                                subscription_id: string | null;
                            };
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/admin/donors/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Erase a donor's name, email and messages everywhere Goalpost keeps them; amounts and the ledger stay */
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
                        /** Format: email */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description What was erased, counted per kind of record */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            erased: {
                                donations: number;
                                checkouts: number;
                                subscriptions: number;
                                receipts: number;
                                /** @description stored Stripe events whose payload named the donor */
                                stripe_events: number;
                                /** @description stored consumer events whose payload named the donor */
                                webhook_events: number;
                            };
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/donors/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything Goalpost keeps about a donor (by email), as JSON, for an access request */
        get: {
            parameters: {
                query: {
                    email: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The donor's data */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            exported_at: string;
                            donations: {
                                id: string;
                                campaign: string;
                                /** @enum {string} */
                                status: "pending" | "succeeded" | "failed" | "expired";
                                /** @enum {string} */
                                frequency: "one_time" | "monthly";
                                /** @description what counts toward the goal (covered fee excluded) */
                                amount: number;
                                /** @description the processing fee the donor chose to cover */
                                fee_amount: number;
                                currency: string;
                                /** @description what refunds took from the goal (at most amount) */
                                refunded_amount: number;
                                /** @description what an open or lost dispute keeps out of the goal */
                                disputed_amount: number;
                                /** @description what this donation adds to its month now */
                                net_amount: number;
                                /** @description Stripe's amount_refunded on the charge, covered fee included */
                                charge_refunded_amount: number;
                                dispute: {
                                    id: string;
                                    status: ("open" | "won" | "lost") | null;
                                    /** @description integer amount in the currency minor unit */
                                    amount: number;
                                } | null;
                                donor: {
                                    email: string | null;
                                    name: string | null;
                                    anonymous: boolean;
                                };
                                message: string | null;
                                /** @description an admin hid the message from the supporters wall */
                                message_hidden: boolean;
                                /**
                                 * @description paid through Stripe, or recorded by an admin (offline money, imports)
                                 * @enum {string}
                                 */
                                origin: "stripe" | "offline";
                                /** @description how offline money arrived; null for Stripe donations */
                                offline: {
                                    /** @enum {string} */
                                    method: "check" | "bank_transfer" | "cash" | "other";
                                    reference: string;
                                    voided_at: string | null;
                                } | null;
                                attribution: {
                                    source: string | null;
                                    utm_source: string | null;
                                    utm_medium: string | null;
                                    utm_campaign: string | null;
                                };
                                /** @description the donor's language, as the checkout named it (a renewal: its monthly donation's checkout); null when it named none, and for offline money */
                                locale: ("en" | "de" | "fr" | "es") | null;
                                /** @description YYYY-MM of the payment in the campaign timezone; null until paid */
                                month: string | null;
                                paid_at: string | null;
                                receipt_number: string | null;
                                stripe: {
                                    checkout_session_id: string | null;
                                    payment_intent_id: string | null;
                                    charge_id: string | null;
                                    invoice_id: string | null;
                                    subscription_id: string | null;
                                };
                                created_at: string;
                                updated_at: string;
                            }[];
                            subscriptions: {
                                [key: string]: unknown;
                            }[];
                            mails: {
                                [key: string]: unknown;
                            }[];
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/donations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Donations, newest first; q searches donor email and name */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    campaign?: string;
                    month?: string;
                    status?: "pending" | "succeeded" | "failed" | "expired";
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of donations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: string;
                                campaign: string;
                                /** @enum {string} */
                                status: "pending" | "succeeded" | "failed" | "expired";
                                /** @enum {string} */
                                frequency: "one_time" | "monthly";
                                /** @description what counts toward the goal (covered fee excluded) */
                                amount: number;
                                /** @description the processing fee the donor chose to cover */
                                fee_amount: number;
                                currency: string;
                                /** @description what refunds took from the goal (at most amount) */
                                refunded_amount: number;
                                /** @description what an open or lost dispute keeps out of the goal */
                                disputed_amount: number;
                                /** @description what this donation adds to its month now */
                                net_amount: number;
                                /** @description Stripe's amount_refunded on the charge, covered fee included */
                                charge_refunded_amount: number;
                                dispute: {
                                    id: string;
                                    status: ("open" | "won" | "lost") | null;
                                    /** @description integer amount in the currency minor unit */
                                    amount: number;
                                } | null;
                                donor: {
                                    email: string | null;
                                    name: string | null;
                                    anonymous: boolean;
                                };
                                message: string | null;
                                /** @description an admin hid the message from the supporters wall */
                                message_hidden: boolean;
                                /**
                                 * @description paid through Stripe, or recorded by an admin (offline money, imports)
                                 * @enum {string}
                                 */
                                origin: "stripe" | "offline";
                                /** @description how offline money arrived; null for Stripe donations */
                                offline: {
                                    /** @enum {string} */
                                    method: "check" | "bank_transfer" | "cash" | "other";
                                    reference: string;
                                    voided_at: string | null;
                                } | null;
                                attribution: {
                                    source: string | null;
                                    utm_source: string | null;
                                    utm_medium: string | null;
                                    utm_campaign: string | null;
                                };
                                /** @description the donor's language, as the checkout named it (a renewal: its monthly donation's checkout); null when it named none, and for offline money */
                                locale: ("en" | "de" | "fr" | "es") | null;
                                /** @description YYYY-MM of the payment in the campaign timezone; null until paid */
                                month: string | null;
                                paid_at: string | null;
                                receipt_number: string | null;
                                stripe: {
                                    checkout_session_id: string | null;
                                    payment_intent_id: string | null;
                                    charge_id: string | null;
                                    invoice_id: string | null;
                                    subscription_id: string | null;
                                };
                                created_at: string;
                                updated_at: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description No campaign with that slug (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
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
    "/v1/admin/stripe-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stored Stripe events, newest first, with their processing status and last error */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    status?: "received" | "processing" | "processed" | "ignored" | "deferred" | "failed";
                    type?: string;
                    flag?: "livemode_mismatch" | "currency_mismatch" | "foreign";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: string;
                                type: string;
                                /** @description when Stripe created the event */
                                created: string;
                                livemode: boolean;
                                api_version: string | null;
                                /**
                                 * @description how it reached us
                                 * @enum {string}
                                 */
                                source: "webhook" | "reconciliation";
                                /**
                                 * @description deferred: waiting for the payment (or subscription) it belongs to; ignored: not ours or not used
                                 * @enum {string}
                                 */
                                status: "received" | "processing" | "processed" | "ignored" | "deferred" | "failed";
                                attempts: number;
                                last_error: string | null;
                                /** @description why it was ignored or is waiting */
                                note: string | null;
                                /** @description set on ignored events an operator should look at: money in another currency, the other Stripe mode, or another deployment */
                                flag: ("livemode_mismatch" | "currency_mismatch" | "foreign") | null;
                                received_at: string;
                                processed_at: string | null;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/stripe-events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One stored Stripe event with its payload */
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
                /** @description The event */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            type: string;
                            /** @description when Stripe created the event */
                            created: string;
                            livemode: boolean;
                            api_version: string | null;
                            /**
                             * @description how it reached us
                             * @enum {string}
                             */
                            source: "webhook" | "reconciliation";
                            /**
                             * @description deferred: waiting for the payment (or subscription) it belongs to; ignored: not ours or not used
                             * @enum {string}
                             */
                            status: "received" | "processing" | "processed" | "ignored" | "deferred" | "failed";
                            attempts: number;
                            last_error: string | null;
                            /** @description why it was ignored or is waiting */
                            note: string | null;
                            /** @description set on ignored events an operator should look at: money in another currency, the other Stripe mode, or another deployment */
                            flag: ("livemode_mismatch" | "currency_mismatch" | "foreign") | null;
                            received_at: string;
                            processed_at: string | null;
                            payload: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/stripe-events/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Process a stored event again (processing is idempotent: nothing is counted twice) */
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
                /** @description Queued again */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            type: string;
                            /** @description when Stripe created the event */
                            created: string;
                            livemode: boolean;
                            api_version: string | null;
                            /**
                             * @description how it reached us
                             * @enum {string}
                             */
                            source: "webhook" | "reconciliation";
                            /**
                             * @description deferred: waiting for the payment (or subscription) it belongs to; ignored: not ours or not used
                             * @enum {string}
                             */
                            status: "received" | "processing" | "processed" | "ignored" | "deferred" | "failed";
                            attempts: number;
                            last_error: string | null;
                            /** @description why it was ignored or is waiting */
                            note: string | null;
                            /** @description set on ignored events an operator should look at: money in another currency, the other Stripe mode, or another deployment */
                            flag: ("livemode_mismatch" | "currency_mismatch" | "foreign") | null;
                            received_at: string;
                            processed_at: string | null;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The queue is unavailable; the event is picked up by the sweeper later (service_unavailable) */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monthly donations, newest first; q searches donor email and name; canceled_month lists a month's cancellations */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    campaign?: string;
                    status?: "active" | "past_due" | "paused" | "canceled";
                    canceled_month?: string;
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of monthly donations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description the Stripe subscription id */
                                id: string;
                                campaign: string;
                                /** @description the monthly donation (covered fee excluded) */
                                amount: number;
                                /** @description the processing fee the donor covers each month */
                                fee_amount: number;
                                currency: string;
                                /**
                                 * @description canceled as soon as a cancellation is recorded (a donor's own, before Stripe's event)
                                 * @enum {string}
                                 */
                                status: "active" | "past_due" | "paused" | "canceled";
                                donor: {
                                    email: string | null;
                                    name: string | null;
                                    anonymous: boolean;
                                };
                                started_at: string;
                                next_payment_at: string | null;
                                canceled_at: string | null;
                                last_payment_at: string | null;
                                /** @description failed tries of renewals not paid since (0 once recovered) */
                                failed_attempts: number;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description No campaign with that slug (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
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
    "/v1/admin/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of endpoints */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: string;
                                url: string;
                                description: string;
                                events: string[];
                                enabled: boolean;
                                /** @description manual: an admin; gone: the receiver answered 410; failing: a delivery failed its whole retry schedule */
                                disabled_reason: ("manual" | "gone" | "failing") | null;
                                disabled_at: string | null;
                                /** @description until then the previous secret signs too (after a rotation) */
                                previous_secret_expires_at: string | null;
                                created_at: string;
                                updated_at: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Register a webhook endpoint; its signing secret is in this response only */
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
                        /** @description http(s) URL on a public address; checked again before every delivery */
                        url: string;
                        /** @description event types (donation.succeeded, donation.refunded, donation.disputed, donation.voided, tier.reached, goal.reached, period.closed, donation.failed, subscription.created, subscription.updated, subscription.canceled, period.restated), or ["*"] for all */
                        events: ("donation.succeeded" | "donation.refunded" | "donation.disputed" | "donation.voided" | "tier.reached" | "goal.reached" | "period.closed" | "donation.failed" | "subscription.created" | "subscription.updated" | "subscription.canceled" | "period.restated" | "*")[];
                        /** @default  */
                        description?: string;
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            description: string;
                            events: string[];
                            enabled: boolean;
                            /** @description manual: an admin; gone: the receiver answered 410; failing: a delivery failed its whole retry schedule */
                            disabled_reason: ("manual" | "gone" | "failing") | null;
                            disabled_at: string | null;
                            /** @description until then the previous secret signs too (after a rotation) */
                            previous_secret_expires_at: string | null;
                            created_at: string;
                            updated_at: string;
                            /** @description whsec_... signing secret for standardwebhooks; shown only here */
                            secret: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed), or a URL that is not http(s) or reaches a non-public address (unsafe_webhook_target) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/webhook-endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one webhook endpoint (whether it is enabled, and why not) */
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
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            description: string;
                            events: string[];
                            enabled: boolean;
                            /** @description manual: an admin; gone: the receiver answered 410; failing: a delivery failed its whole retry schedule */
                            disabled_reason: ("manual" | "gone" | "failing") | null;
                            disabled_at: string | null;
                            /** @description until then the previous secret signs too (after a rotation) */
                            previous_secret_expires_at: string | null;
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a webhook endpoint and its delivery history */
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
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Update a webhook endpoint; enabled: true re-enables a disabled one */
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
                        /** @description http(s) URL on a public address; checked again before every delivery */
                        url?: string;
                        /** @description event types (donation.succeeded, donation.refunded, donation.disputed, donation.voided, tier.reached, goal.reached, period.closed, donation.failed, subscription.created, subscription.updated, subscription.canceled, period.restated), or ["*"] for all */
                        events?: ("donation.succeeded" | "donation.refunded" | "donation.disputed" | "donation.voided" | "tier.reached" | "goal.reached" | "period.closed" | "donation.failed" | "subscription.created" | "subscription.updated" | "subscription.canceled" | "period.restated" | "*")[];
                        description?: string;
                        enabled?: boolean;
                    };
                };
            };
            responses: {
                /** @description The updated endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            description: string;
                            events: string[];
                            enabled: boolean;
                            /** @description manual: an admin; gone: the receiver answered 410; failing: a delivery failed its whole retry schedule */
                            disabled_reason: ("manual" | "gone" | "failing") | null;
                            disabled_at: string | null;
                            /** @description until then the previous secret signs too (after a rotation) */
                            previous_secret_expires_at: string | null;
                            created_at: string;
                            updated_at: string;
                        };
                    };
                };
                /** @description Invalid input (validation_failed), or a URL that is not http(s) or reaches a non-public address (unsafe_webhook_target) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/admin/webhook-endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the signing secret; for 24 h deliveries carry signatures by the old and the new one */
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
                /** @description The endpoint with its new secret */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            description: string;
                            events: string[];
                            enabled: boolean;
                            /** @description manual: an admin; gone: the receiver answered 410; failing: a delivery failed its whole retry schedule */
                            disabled_reason: ("manual" | "gone" | "failing") | null;
                            disabled_at: string | null;
                            /** @description until then the previous secret signs too (after a rotation) */
                            previous_secret_expires_at: string | null;
                            created_at: string;
                            updated_at: string;
                            /** @description whsec_... signing secret for standardwebhooks; shown only here */
                            secret: string;
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/webhook-endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint's deliveries, newest first, each with every attempt */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                    status?: "pending" | "succeeded" | "failed" | "canceled";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of deliveries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                id: string;
                                endpoint_id: string;
                                /** @description also the webhook-id header */
                                event_id: string;
                                event_type: string;
                                /** @enum {string} */
                                status: "pending" | "succeeded" | "failed" | "canceled";
                                attempt_count: number;
                                next_attempt_at: string | null;
                                last_status_code: number | null;
                                last_error: string | null;
                                created_at: string;
                                updated_at: string;
                                attempts: {
                                    attempt: number;
                                    /** @enum {string} */
                                    trigger: "schedule" | "manual";
                                    attempted_at: string;
                                    status_code: number | null;
                                    latency_ms: number;
                                    /** @description the first 1 kB of the answer */
                                    response_body: string | null;
                                    /** @description timeout, connection error or refused target */
                                    error: string | null;
                                }[];
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Invalid input (validation_failed, malformed_json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
    "/v1/admin/webhook-deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again now (one attempt, outside the retry schedule) */
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
                /** @description The attempt is queued */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            endpoint_id: string;
                            /** @description also the webhook-id header */
                            event_id: string;
                            event_type: string;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed" | "canceled";
                            attempt_count: number;
                            next_attempt_at: string | null;
                            last_status_code: number | null;
                            last_error: string | null;
                            created_at: string;
                            updated_at: string;
                            attempts: {
                                attempt: number;
                                /** @enum {string} */
                                trigger: "schedule" | "manual";
                                attempted_at: string;
                                status_code: number | null;
                                latency_ms: number;
                                /** @description the first 1 kB of the answer */
                                response_body: string | null;
                                /** @description timeout, connection error or refused target */
                                error: string | null;
                            }[];
                        };
                    };
                };
                /** @description Missing or wrong API key (unauthorized) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The key lacks the needed scope (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Not found (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description The delivery is still pending, or its endpoint is disabled (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": {
                            type: string;
                            title: string;
                            status: number;
                            detail: string;
                            code: string;
                            errors: {
                                field: string;
                                message: string;
                            }[];
                        };
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
