import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { ClawkerError } from '../../../shared/errors'
import type { CreateProgress } from '../../../shared/contract'
import { bridge, call, onEvent } from '../api'
import { projectImageName } from '../../../shared/resourceNames'
import { queryKeys, useEngines, useImages, useStartup } from '../queries'
import { Modal } from './Modal'

type FieldErrors = Partial<Record<'engine' | 'project' | 'agent' | 'workspace' | 'workspaceMode' | 'image' | 'command' | 'baseImage' | 'extraPackages' | 'caCertPath' | 'caCert' | 'networkMode', string>>

function errorsOf(e: unknown): { fields: FieldErrors; general?: string } {
  if (e instanceof ClawkerError && e.field) return { fields: { [e.field]: e.message } }
  return { fields: {}, general: e instanceof Error ? e.message : String(e) }
}

function Field(props: { label: string; name: keyof FieldErrors; error?: string; hint?: string; children: (a: { id: string; describedBy?: string; invalid: boolean }) => React.ReactNode }) {
  const id = useId()
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const describedBy = [props.error ? errorId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid: !!props.error })}
      {props.hint ? (
        <small id={hintId} className="muted">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={errorId} className="error" role="alert">
          {props.error}
        </small>
      ) : null}
    </div>
  )
}

/** The steps of Create in the user's words, in the order main reports them. */
const CREATE_STEPS: Record<CreateProgress['step'], string> = {
  check: 'Checking the name, folder and image',
  volumes: "Making the agent's volumes",
  'global-volume': 'Making sure the shared login volume exists',
  container: 'Creating the container',
  start: 'Starting the agent',
}

function CreateSteps({ seen, failed }: { seen: CreateProgress['step'][]; failed: boolean }) {
  return (
    <ol className="create-steps" aria-label="Create progress">
      {seen.map((step, i) => {
        const current = i === seen.length - 1
        const mark = !current ? '✓' : failed ? '✗' : '…'
        return (
          <li key={step} aria-current={current ? 'step' : undefined} className={current && failed ? 'error' : undefined}>
            {mark} {CREATE_STEPS[step]}
          </li>
        )
      })}
    </ol>
  )
}

export function NewAgentDialog({ initialProject, onClose, onCreated }: { initialProject?: string; onClose(): void; onCreated?(): void }) {
  const client = useQueryClient()
  const images = useImages(true)
  const [project, setProject] = useState(initialProject ?? '')
  const [agent, setAgent] = useState('')
  const [workspace, setWorkspace] = useState('')
  const engines = useEngines(true)
  const [engine, setEngine] = useState('local')
  const remote = engines.data?.find((e) => e.id === engine)?.remote ?? false
  const [chosenMode, setMode] = useState<'bind' | 'snapshot'>('bind')
  // A folder of this computer cannot be bind-mounted on a remote engine: it is copied there.
  const mode = remote ? 'snapshot' : chosenMode
  const [image, setImage] = useState('')
  const [command, setCommand] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [general, setGeneral] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [building, setBuilding] = useState(false)
  const [steps, setSteps] = useState<CreateProgress['step'][]>([])
  const listId = useId()
  useEffect(() => onEvent('agents.createProgress', (p) => setSteps((s) => (s.includes(p.step) ? s : [...s, p.step]))), [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setSteps([])
    setErrors({})
    setGeneral(undefined)
    try {
      await call('agents.create', {
        ...(engine !== 'local' ? { engine } : {}),
        project: project.trim(),
        ...(agent.trim() ? { agent: agent.trim() } : {}),
        workspace: workspace.trim(),
        workspaceMode: mode,
        ...(image.trim() ? { image: image.trim() } : {}),
        ...(command.trim() ? { command: command.trim().split(/\s+/) } : {}),
      })
      void client.invalidateQueries({ queryKey: queryKeys.agents })
      onCreated?.()
      onClose()
    } catch (err) {
      const { fields, general: g } = errorsOf(err)
      setErrors(fields)
      setGeneral(g)
      setBusy(false)
    }
  }

  // The engine's local images, the project image first and marked; a typed name still works.
  const prefix = useStartup().data?.prefix ?? 'clawker'
  const projectImage = projectImageName(project.trim(), prefix)
  const all = images.data ?? []
  const tags = [...new Set(all.flatMap((i) => i.tags))].sort((a, b) => Number(b === projectImage) - Number(a === projectImage) || a.localeCompare(b))
  const chosen = image.trim()
  const chosenInfo = chosen ? all.find((i) => i.tags.includes(chosen)) : undefined
  return (
    <Modal title="New agent" onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        {general ? (
          <p role="alert" className="error">
            {general}
          </p>
        ) : null}
        {(engines.data?.length ?? 0) > 1 ? (
          <Field label="Engine" name="engine" error={errors.engine} hint="Where the agent runs.">
            {(a) => (
              <select id={a.id} value={engine} onChange={(e) => setEngine(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy}>
                {engines.data!.map((e) => (
                  <option key={e.id} value={e.id} disabled={e.status.state !== 'connected'}>
                    {e.name}
                    {e.status.state !== 'connected' ? ' (not connected)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label="Project" name="project" error={errors.project} hint="Lowercase letters, digits, _ . - (capitals become lowercase, as the clawker CLI does); blank for an agent without a project.">
          {(a) => <input id={a.id} value={project} onChange={(e) => setProject(e.target.value.toLowerCase())} aria-invalid={a.invalid} aria-describedby={a.describedBy} autoFocus />}
        </Field>
        <Field label="Agent name" name="agent" error={errors.agent} hint="Lowercase, like the project; blank gives a random name.">
          {(a) => <input id={a.id} value={agent} onChange={(e) => setAgent(e.target.value.toLowerCase())} aria-invalid={a.invalid} aria-describedby={a.describedBy} />}
        </Field>
        <Field label="Workspace folder" name="workspace" error={errors.workspace} hint="The project folder on this machine (an absolute path).">
          {(a) => (
            <div className="with-button">
              <input id={a.id} value={workspace} onChange={(e) => setWorkspace(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} placeholder="/home/you/src/webapp" />
              {bridge.transport === 'electron' ? (
                <button
                  type="button"
                  onClick={async () => {
                    const chosen = await call('dialog.chooseFolder', { title: 'Workspace folder' }).catch(() => null)
                    if (chosen) setWorkspace(chosen)
                  }}
                >
                  Choose…
                </button>
              ) : null}
            </div>
          )}
        </Field>
        <fieldset className="field">
          <legend>Workspace mode</legend>
          <label className="check">
            <input type="radio" name="mode" checked={mode === 'bind'} disabled={remote} onChange={() => setMode('bind')} /> Bind: the agent works in the folder itself
          </label>
          {remote ? <small className="muted">Bind is off: a folder of this computer cannot be mounted on a remote engine, so it is copied there.</small> : null}
          <label className="check">
            <input type="radio" name="mode" checked={mode === 'snapshot'} onChange={() => setMode('snapshot')} /> Snapshot: the agent works on a copy (folders up to 2 GiB)
          </label>
          {errors.workspaceMode ? <small className="error" role="alert">{errors.workspaceMode}</small> : null}
        </fieldset>
        <Field label="Image" name="image" error={errors.image} hint="An existing image; blank uses the project image (build it below).">
          {(a) => (
            <>
              <input id={a.id} list={listId} value={image} onChange={(e) => setImage(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} placeholder={projectImage} />
              <datalist id={listId}>
                {tags.map((t) => (
                  <option key={t} value={t} label={t === projectImage ? 'project image' : all.find((i) => i.tags.includes(t))?.managed ? 'from the template' : 'other image'} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        {chosenInfo && !chosenInfo.managed ? (
          <p className="note" role="note">
            {chosen} is not built from the Clawker template: the app copies its entrypoint in before the first start. The image
            needs <code>/bin/sh</code>, and Claude Code must be installed in it for the agent to run claude.
          </p>
        ) : null}
        <Field label="Command (optional)" name="command" error={errors.command} hint="What the agent runs; claude when blank.">
          {(a) => <input id={a.id} value={command} onChange={(e) => setCommand(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} placeholder="claude" />}
        </Field>
        {building ? <BuildImage project={project.trim()} onBuilt={(tag) => setImage(tag)} /> : null}
        {steps.length ? <CreateSteps seen={steps} failed={!busy} /> : null}
        <div className="dialog-actions">
          <button type="button" onClick={() => setBuilding((b) => !b)} aria-expanded={building}>
            {building ? 'Hide the image build' : 'Build project image…'}
          </button>
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Modal>
  )
}

function BuildImage({ project, onBuilt }: { project: string; onBuilt(tag: string): void }) {
  const client = useQueryClient()
  const [base, setBase] = useState('debian:bookworm-slim')
  const [install, setInstall] = useState(true)
  const [packages, setPackages] = useState('')
  const [caCertPath, setCaCertPath] = useState('')
  const [network, setNetwork] = useState('')
  const localImages = useImages(true)
  const baseListId = useId()
  const networkListId = useId()
  const [lines, setLines] = useState<string[]>([])
  const [state, setState] = useState<'idle' | 'building' | 'done' | 'failed'>('idle')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [general, setGeneral] = useState<string | undefined>()
  const [engineWords, setEngineWords] = useState<string | undefined>()
  const log = useRef<HTMLPreElement>(null)
  useEffect(
    () =>
      onEvent('images.buildProgress', (p) => {
        if (p.project === project) setLines((l) => [...l.slice(-2000), p.line])
      }),
    [project],
  )
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight })
  }, [lines])
  const build = async () => {
    setState('building')
    setLines([])
    setErrors({})
    setGeneral(undefined)
    setEngineWords(undefined)
    try {
      const { image } = await call('images.build', {
        project,
        baseImage: base.trim(),
        installClaudeCode: install,
        extraPackages: packages.split(/[\s,]+/).filter(Boolean),
        ...(caCertPath.trim() ? { caCertPath: caCertPath.trim() } : {}),
        ...(network.trim() ? { networkMode: network.trim() } : {}),
      })
      setState('done')
      onBuilt(image)
      void client.invalidateQueries({ queryKey: queryKeys.images })
    } catch (e) {
      const { fields, general: g } = errorsOf(e)
      setErrors(fields)
      setGeneral(g)
      setEngineWords(e instanceof ClawkerError ? e.detail : undefined)
      setState('failed')
    }
  }
  return (
    <section className="build" aria-label="Build the project image">
      <h3>Build {projectImageName(project, useStartup().data?.prefix ?? 'clawker')}</h3>
      <Field label="Base image" name="baseImage" error={errors.baseImage ?? errors.image} hint="An image already on this engine, or one it can pull.">
        {(a) => (
          <>
            <input id={a.id} list={baseListId} value={base} onChange={(e) => setBase(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} />
            <datalist id={baseListId}>
              {(localImages.data ?? [])
                .filter((i) => !i.managed)
                .flatMap((i) => i.tags)
                .map((t) => (
                  <option key={t} value={t} />
                ))}
            </datalist>
          </>
        )}
      </Field>
      <Field label="CA certificate (optional)" name="caCertPath" error={errors.caCertPath ?? errors.caCert} hint="A PEM file, for building behind a TLS-inspecting proxy: added to the image's trust store.">
        {(a) => (
          <div className="with-button">
            <input id={a.id} value={caCertPath} onChange={(e) => setCaCertPath(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} placeholder="/path/to/proxy-ca.pem" />
            {bridge.transport === 'electron' ? (
              <button
                type="button"
                onClick={async () => {
                  const chosen = await call('dialog.chooseFile', { title: 'CA certificate (PEM)' }).catch(() => null)
                  if (chosen) setCaCertPath(chosen)
                }}
              >
                Choose…
              </button>
            ) : null}
          </div>
        )}
      </Field>
      <Field label="Build network (optional)" name="networkMode" error={errors.networkMode} hint="The network the build's steps run on; the engine's default when blank.">
        {(a) => (
          <>
            <input id={a.id} list={networkListId} value={network} onChange={(e) => setNetwork(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} placeholder="default" />
            <datalist id={networkListId}>
              <option value="host" />
              <option value="bridge" />
            </datalist>
          </>
        )}
      </Field>
      <label className="check">
        <input type="checkbox" checked={install} onChange={(e) => setInstall(e.target.checked)} /> Install Claude Code
      </label>
      <Field label="Extra packages" name="extraPackages" error={errors.extraPackages} hint="Space-separated, for apt-get or apk.">
        {(a) => <input id={a.id} value={packages} onChange={(e) => setPackages(e.target.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} />}
      </Field>
      <div className="dialog-actions">
        <button type="button" onClick={build} disabled={state === 'building'} aria-busy={state === 'building'}>
          {state === 'building' ? 'Building…' : 'Build'}
        </button>
        <span role="status" className="muted">
          {state === 'done' ? 'Built.' : state === 'failed' ? 'The build failed.' : ''}
        </span>
      </div>
      {general ? (
        <p role="alert" className="error">
          {general}
        </p>
      ) : null}
      {engineWords ? (
        <details className="engine-words">
          <summary>The engine&apos;s own words</summary>
          <pre>{engineWords}</pre>
        </details>
      ) : null}
      {lines.length ? (
        <pre ref={log} className="build-log" role="log" aria-label="Build output" tabIndex={0}>
          {lines.join('\n')}
        </pre>
      ) : null}
    </section>
  )
}
