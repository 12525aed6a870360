# The portier executable and the composition-root library (kept separate so integration tests can link it).
add_library(portier_app STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/server.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/cli.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/cli_users.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/cli_doors.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/door_setup.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/doors_module.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/sip_module.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/persisted_bindings.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/calls_module.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/cli_extensions.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/cli_http.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/cli_passes.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/passes_module.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/cli_devices.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/device_admin.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_module.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/webrtc_module.cpp
)
target_include_directories(portier_app PUBLIC ${PORTIER_SRC_DIR})
target_compile_definitions(portier_app PUBLIC PORTIER_VERSION="${PROJECT_VERSION}")
target_link_libraries(portier_app PUBLIC portier_config portier_api portier_device portier_sip_ua portier_intercom portier_store_sqlite portier_access portier_base
                      CLI11::CLI11)

add_executable(portier ${CMAKE_CURRENT_SOURCE_DIR}/main.cpp)
target_link_libraries(portier PRIVATE portier_app)
