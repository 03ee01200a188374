"""cancel-in-progress-on-release (WFL009): deploys judged from real deploy or publish steps, whole words."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint
from wflint.finding import Safety

RULE = "cancel-in-progress-on-release"
ON = "on:\n  push:\n    branches: [main]\n"
CONC = "concurrency:\n  group: ci-${{ github.ref }}\n  cancel-in-progress: true\n"


def jobs(body: str, job_id: str = "build") -> str:
    return f"jobs:\n  {job_id}:\n    runs-on: ubuntu-latest\n{body}"


def steps(*items: str) -> str:
    return "    steps:\n" + "".join(f"      - {i}\n" for i in items)


@pytest.mark.parametrize(
    "body, job_id",
    [
        (steps("run: make test"), "prepublish-windows"),  # a word inside a job id
        (steps("run: make test"), "release-notes-check"),  # job names alone are no evidence
        ("    environment:\n      name: ci\n      deployment: false\n" + steps("run: make test"), "build"),
        (steps("run: npm publish --registry http://localhost:4873"), "build"),
        (steps("run: npx verdaccio & sleep 2 && yarn publish --registry $REG  # verdaccio"), "build"),
        (steps("run: npm publish --dry-run"), "build"),
        (steps("run: docker push ghcr.io/o/r:cache"), "build"),
        (steps("run: ./scripts/prerelease.sh"), "build"),
        (steps("run: make release"), "build"),  # a release build, not a publish
        (steps("uses: release-drafter/release-drafter@v6"), "build"),
        (steps("uses: actions/upload-pages-artifact@v3"), "build"),
        (steps("uses: docker/build-push-action@v6\n        with:\n          tags: localhost:5000/app:ci"), "build"),
    ],
)
def test_not_a_deploy(body, job_id):
    assert lint(RULE, ON + CONC + jobs(body, job_id)) == []


@pytest.mark.parametrize(
    "body",
    [
        "    environment: production\n" + steps("run: make"),
        steps("run: npm publish"),
        steps("run: ./scripts/deploy.sh prod"),
        steps("run: make deploy"),
        steps("uses: pypa/gh-action-pypi-publish@release/v1"),
        steps("uses: softprops/action-gh-release@v2"),
        steps("run: docker push ghcr.io/o/app:latest"),
        # a whole-site deploy beside a real publish: the publish is what a cancel cuts short
        steps("uses: actions/deploy-pages@v4", "run: npm publish"),
        # Firebase beyond hosting (functions, rules) is not one atomic switch
        steps("run: npx firebase deploy --project prod"),
        # a deploy script given other credentials than a site host's
        steps("run: npm run deploy\n        env:\n          CLOUDFLARE_API_TOKEN: x\n          AWS_ACCESS_KEY_ID: y"),
        steps("run: npm run deploy"),
    ],
)
def test_deploys(body):
    (finding,) = lint(RULE, ON + CONC + jobs(body))
    assert finding.fix is not None and finding.fix.safety is Safety.UNSAFE


@pytest.mark.parametrize(
    "body",
    [
        steps("uses: actions/deploy-pages@v4"),
        "    environment:\n      name: github-pages\n" + steps("uses: actions/upload-pages-artifact@v3", "id: deployment\n        uses: actions/deploy-pages@v4"),
        steps("uses: peaceiris/actions-gh-pages@v4\n        with:\n          publish_dir: ./public"),
        steps("uses: JamesIves/github-pages-deploy-action@v4"),
        steps("uses: cloudflare/wrangler-action@v3\n        with:\n          command: pages deploy dist --project-name=site"),
        steps("uses: cloudflare/wrangler-action@v3"),
        steps("run: npx wrangler pages deploy dist"),
        steps("run: npx netlify deploy --prod --dir=public"),
        steps("run: vercel deploy --prebuilt --prod --token=$T"),
        steps("run: firebase deploy --only hosting"),
        steps("uses: FirebaseExtended/action-hosting-deploy@v0"),
        steps("run: mkdocs gh-deploy --force"),
        "    environment: production\n" + steps("run: npx wrangler deploy"),
        # a deploy script given only a site host's credentials deploys the site there
        steps("run: pnpm --filter=@o/site run deploy\n        env:\n          CLOUDFLARE_API_TOKEN: x\n          CLOUDFLARE_ACCOUNT_ID: y"),
    ],
)
def test_whole_site_deploys_are_harmless_to_cancel(body):
    # the newer run deploys the newer commit; a cancelled one leaves nothing half-done
    assert lint(RULE, ON + CONC + jobs(body)) == []


def test_fix_writes_false_without_pull_request_and_the_expression_with_it():
    body = "    if: github.event_name == 'push'\n" + steps("run: npm publish")
    assert fix(RULE, ON + CONC + jobs(body)) == ON + CONC.replace("true", "false") + jobs(body)
    on_pr = ON + "  pull_request:\n"
    assert fix(RULE, on_pr + CONC + jobs(body)) == on_pr + CONC.replace(
        "true", "${{ github.event_name == 'pull_request' }}"
    ) + jobs(body)
    # a configured expression is written as given
    custom = fix(RULE, ON + CONC + jobs(body), options={"expression": "${{ github.ref != 'refs/heads/main' }}"})
    assert "cancel-in-progress: ${{ github.ref != 'refs/heads/main' }}\n" in custom


@pytest.mark.parametrize(
    "body",
    [
        steps("uses: ./.github/actions/image/publish"),
        steps("run: pnpm --filter=@o/site run deploy"),
        "    uses: org/meta/.github/workflows/goreleaser.yml@main\n",
        "    uses: ./.github/workflows/deploy-site.yml\n",
    ],
)
def test_deploys_through_local_actions_scripts_and_reusable_workflows(body):
    assert len(lint(RULE, ON + CONC + jobs(body).replace("    runs-on: ubuntu-latest\n    uses", "    uses"))) == 1


def test_a_push_that_also_runs_for_pull_requests_is_ci_not_a_release():
    on = ON + "  pull_request:\n"
    helper = steps("run: docker build -t ghcr.io/o/deps:1 . && docker push ghcr.io/o/deps:1")
    assert lint(RULE, on + CONC + jobs(helper)) == []
    # only on pushes: a publish
    gated = steps("run: make", "run: npm publish\n        if: github.event_name == 'push'")
    assert len(lint(RULE, on + CONC + jobs(gated))) == 1
    assert len(lint(RULE, on + CONC + jobs("    if: github.event_name == 'push'\n" + steps("run: npm publish")))) == 1
    assert len(lint(RULE, on + CONC + jobs("    environment: production\n" + steps("run: ./deploy.sh")))) == 1
